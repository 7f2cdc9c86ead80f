// One incident story through the model: evidence redacted and cut to the prompt's bounds, one
// conversation, at most one repair round for an invalid reply, and one raised budget when the
// reply is cut at max_tokens (never accept the cut JSON).
import { AnalysisError } from './errors.js';
import type { DescribeIncidentRequest, IncidentSignalInput, IncidentStory } from './incident-types.js';
import type { CallContext, LlmClient } from './llm/client.js';
import type { Language, Logger } from './options.js';
import { parseStory } from './output/incident.js';
import { stripReasoning } from './output/extract.js';
import { buildIncidentMessages, incidentRepairMessage, type PromptIncident, type PromptSignal } from './prompts/incident.js';
import { redact } from './redact.js';

// What the prompt shows of long text: enough to recognise a line, small enough that 20 signals
// with 3 samples each stay a compact prompt.
const PROMPT_CUT = { template: 1000, sample: 500, verdict: 500 } as const;

const cut = (text: string, max: number): string => {
  const points = Array.from(text);
  return points.length <= max ? text : `${points.slice(0, max).join('')}…`;
};

function toPromptSignal(s: IncidentSignalInput, clean: (s: string) => string): PromptSignal {
  // Redaction runs before the cut, so a secret split at the cut cannot slip past the patterns.
  const signal: PromptSignal = {
    kind: s.kind,
    service: s.service,
    template: cut(clean(s.template), PROMPT_CUT.template),
    started_at: s.startedAt,
    observed: s.observed,
    expected: Math.round(s.expected * 100) / 100,
    samples: s.samples.map((line) => cut(clean(line), PROMPT_CUT.sample)),
  };
  if (s.verdict) signal.verdict = { summary: cut(clean(s.verdict.summary), PROMPT_CUT.verdict), severity: s.verdict.severity };
  return signal;
}

/** The evidence of `request` as the prompt shows it, redacted unless redaction is off. */
export function toPromptIncident(request: DescribeIncidentRequest, redaction: boolean): PromptIncident {
  const clean = redaction ? redact : (s: string) => s;
  return { opened_at: request.openedAt, updated_at: request.updatedAt, signals: request.signals.map((s) => toPromptSignal(s, clean)) };
}

export interface StoryContext {
  llm: LlmClient;
  language: Language;
  maxTokens: number;
  log: Logger;
  call: CallContext;
  requestId: string;
}

/** Asks the model for the story of `incident`; throws AnalysisError when it never gives a valid one. */
export async function writeStory(incident: PromptIncident, ctx: StoryContext): Promise<IncidentStory> {
  const messages = buildIncidentMessages(incident, ctx.language);
  let maxTokens = ctx.maxTokens;
  let raised = false;
  let repaired = false;
  for (;;) {
    const reply = await ctx.llm.complete(messages, maxTokens, ctx.call);
    if (reply.finishReason === 'length') {
      ctx.log.warn({ requestId: ctx.requestId, maxTokens }, 'incident story cut at max_tokens');
      if (raised) throw new AnalysisError('internal', `the model ran out of tokens (finish_reason length at max_tokens ${maxTokens}) for an incident story`);
      raised = true;
      maxTokens *= 2;
      continue;
    }
    const parsed = parseStory(reply.content);
    if (parsed.ok) return parsed.story;
    if (repaired) throw new AnalysisError('internal', `the model never produced a valid incident story: ${parsed.error}`);
    repaired = true;
    ctx.log.warn({ requestId: ctx.requestId, err: parsed.error }, 'invalid incident story; asking for a repair');
    messages.push({ role: 'assistant', content: stripReasoning(reply.content) }, incidentRepairMessage(parsed.error));
  }
}
