// One batch through the model: the prompt, at most one repair round for an invalid reply, and
// the answer to `finish_reason: "length"` (never accept the cut JSON; raise the budget once, then
// split the batch in halves down to single logs).
import { AnalysisError } from './errors.js';
import type { CallContext, LlmClient } from './llm/client.js';
import type { Language, Logger } from './options.js';
import { extractJson, stripReasoning } from './output/extract.js';
import { salvageResults, validateReply } from './output/validate.js';
import type { ModelResult } from './prompts/schema.js';
import { buildMessages, repairMessage, type PromptLog } from './prompts/v1.js';

export interface BatchContext {
  llm: LlmClient;
  language: Language;
  log: Logger;
  /** `repairs` counts the repair round trips of this analysis. */
  call: CallContext & { repairs: number };
  requestId: string;
}

interface Budget {
  maxTokens: number;
  raised: boolean;
}

type Parsed = { ok: true; results: ModelResult[] } | { ok: false; error: string; value?: unknown };

function parse(content: string, ids: string[]): Parsed {
  const extracted = extractJson(content);
  if (!extracted.ok) return { ok: false, error: extracted.error };
  const validated = validateReply(extracted.value, ids);
  if (!validated.ok) return { ok: false, error: validated.error, value: extracted.value };
  return { ok: true, results: validated.results };
}

async function splitBatch(logs: PromptLog[], budget: Budget, ctx: BatchContext): Promise<ModelResult[]> {
  const middle = Math.ceil(logs.length / 2);
  const results: ModelResult[] = [];
  for (const half of [logs.slice(0, middle), logs.slice(middle)]) {
    try {
      results.push(...(await analyseBatch(half, budget, ctx)));
    } catch (err) {
      // Verdicts already paid for are kept: the caller answers PARTIAL and the worker retries
      // only the rest.
      if (results.length === 0) throw err;
      ctx.log.warn({ requestId: ctx.requestId, err: (err as Error).message }, 'half of a split batch failed');
    }
  }
  return results;
}

/** Analyses `logs` in one conversation (splitting when the reply cannot fit the budget). */
export async function analyseBatch(logs: PromptLog[], start: Budget, ctx: BatchContext): Promise<ModelResult[]> {
  const ids = logs.map((l) => l.id);
  const messages = buildMessages(logs, ctx.language);
  const budget = { ...start };
  let repaired = false;
  for (;;) {
    const reply = await ctx.llm.complete(messages, budget.maxTokens, ctx.call);
    if (reply.finishReason === 'length') {
      ctx.log.warn({ requestId: ctx.requestId, logs: logs.length, maxTokens: budget.maxTokens }, 'reply cut at max_tokens');
      if (!budget.raised) {
        budget.raised = true;
        budget.maxTokens *= 2;
        continue;
      }
      if (logs.length > 1) return splitBatch(logs, budget, ctx);
      throw new AnalysisError('internal', `the model ran out of tokens (finish_reason length at max_tokens ${budget.maxTokens}) for a single log`);
    }
    const parsed = parse(reply.content, ids);
    if (parsed.ok) return parsed.results;
    if (!repaired) {
      repaired = true;
      ctx.call.repairs++;
      ctx.log.warn({ requestId: ctx.requestId, err: parsed.error }, 'invalid model reply; asking for a repair');
      messages.push({ role: 'assistant', content: stripReasoning(reply.content) }, repairMessage(parsed.error));
      continue;
    }
    const salvaged = parsed.value === undefined ? undefined : salvageResults(parsed.value, ids);
    if (salvaged?.ok && salvaged.results.length > 0) return salvaged.results;
    throw new AnalysisError('internal', `the model never produced a valid answer: ${parsed.error}`);
  }
}
