// Counters of the provider client (GetStatus) and the reading of one completion: content and
// reasoning kept apart, usage with reasoning tokens.
import type { ChatCompletion } from 'openai/resources/chat/completions';

/** Per-analysis bookkeeping: LLM calls made and an abort signal from the caller. */
export interface CallContext {
  calls: number;
  usage: Usage;
  signal?: AbortSignal | undefined;
}

export interface Usage {
  prompt: number;
  completion: number;
  reasoning: number;
}

export interface Completion {
  /** The assistant's content, reasoning still inside when the server put it there. */
  content: string;
  /** `reasoning_content` (SiliconFlow, DeepSeek): counted, never parsed. */
  reasoning: string;
  finishReason: string;
  usage: Usage;
}

export interface LlmStats {
  requestsTotal: number;
  failuresTotal: number;
  lastError: string;
  usageTotal: Usage;
  record(res: ChatCompletion, ctx: CallContext): Completion;
  fail(message: string): void;
}

/** An empty usage record. */
export const emptyUsage = (): Usage => ({ prompt: 0, completion: 0, reasoning: 0 });

function add(into: Usage, from: Usage): void {
  into.prompt += from.prompt;
  into.completion += from.completion;
  into.reasoning += from.reasoning;
}

/** Creates zeroed counters. */
export function createStats(): LlmStats {
  const usageTotal = emptyUsage();
  const stats: LlmStats = {
    requestsTotal: 0,
    failuresTotal: 0,
    lastError: '',
    usageTotal,
    record(res, ctx) {
      const choice = res.choices[0];
      const message = choice?.message as ({ content?: string | null; reasoning_content?: unknown } | undefined);
      const reasoning = typeof message?.reasoning_content === 'string' ? message.reasoning_content : '';
      const u = res.usage;
      const usage: Usage = {
        prompt: u?.prompt_tokens ?? 0,
        completion: u?.completion_tokens ?? 0,
        // Servers that report no reasoning tokens still returned the text: estimate from it.
        reasoning: u?.completion_tokens_details?.reasoning_tokens ?? Math.ceil(reasoning.length / 4),
      };
      add(usageTotal, usage);
      add(ctx.usage, usage);
      return {
        content: message?.content ?? '',
        reasoning,
        finishReason: choice?.finish_reason ?? 'stop',
        usage,
      };
    },
    fail(message) {
      stats.failuresTotal += 1;
      stats.lastError = message;
    },
  };
  return stats;
}
