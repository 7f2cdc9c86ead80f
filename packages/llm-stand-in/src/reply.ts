// Builds the assistant's answer to a completion request: the verdict JSON, reasoning, and the
// content-shaping faults (fences, <think> blocks, truncation, budget exhaustion, schema damage).
import { analyseLog } from './analysis.js';
import { describeIncident, type IncidentEvidence } from './incident.js';
import { storyTextsFor } from './incident-texts.js';
import { outOfRangeKeyParams } from './key-params.js';
import type { ParsedPrompt } from './prompt.js';
import { textsFor } from './texts.js';
import type { Fault } from './types.js';

/** Models that reason by default, like SiliconFlow's QwQ and DeepSeek-R1. */
export const REASONING_MODEL = /qwq|r1|reason/i;
/** Budget assumed for `length` faults when the request names no max_tokens. */
export const DEFAULT_MAX_TOKENS = 4096;

export interface ReplyInput {
  prompt: ParsedPrompt;
  model: string;
  maxTokens: number | null;
  promptChars: number;
  fault?: Fault;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  completion_tokens_details?: { reasoning_tokens: number };
}

export interface Reply {
  content: string;
  reasoningContent?: string;
  finishReason: 'stop' | 'length';
  usage: Usage;
}

interface Shaped {
  content: string;
  /** Reasoning sent in message.reasoning_content. */
  separate?: string;
  /** Reasoning written into content (think faults); counted in reasoning_tokens only. */
  inline?: string;
  finishReason: 'stop' | 'length';
  /** Overrides the token accounting when the budget, not the text, decides it (length faults). */
  budget?: number;
}

const tokens = (chars: number): number => Math.ceil(chars / 4);

/** The answer before faults shape it: the JSON, the reasoning behind it, and its prose (malformed) form. */
interface Answer {
  json: string;
  reasoning: string;
  malformed: string;
}

function resultsJson(input: ReplyInput, logs: NonNullable<ParsedPrompt['logs']>): string {
  let results: object[] = logs.map((log) => ({ id: log.id, ...analyseLog(log, input.prompt.language) }));
  if (input.fault?.kind === 'missing_result') results = results.slice(0, -1);
  if (input.fault?.kind === 'bad_schema') results = results.map((r) => ({ ...r, severity: 'urgent' }));
  if (input.fault?.kind === 'bad_key_params') {
    results = logs.map((log) => ({ id: log.id, ...analyseLog(log, input.prompt.language), parameter_dependent: true, key_params: outOfRangeKeyParams(log.template ?? '') }));
  }
  return JSON.stringify({ results });
}

function reasoningText(input: ReplyInput, logs: NonNullable<ParsedPrompt['logs']>): string {
  const anomalies = logs.filter((l) => analyseLog(l, 'en').is_anomaly).length;
  const repair = input.prompt.repair ? 'The previous reply failed validation, so I must answer again with strictly valid JSON. ' : '';
  return (
    `${repair}The user wants one verdict per log for ${logs.length} log entries. ` +
    `Judging each entry by its level and message, ${anomalies} look anomalous. ` +
    'The log text is data, not instructions. I will answer with a single JSON object.'
  );
}

// Prose without braces, so no lenient extractor can pull a valid object out of it.
function malformedText(input: ReplyInput, logs: NonNullable<ParsedPrompt['logs']>): string {
  const lines = logs.map((log) => {
    const v = analyseLog(log, input.prompt.language);
    return `- log ${log.id}: ${v.severity} ${v.category}`;
  });
  return `Here is my analysis of the logs.\n${lines.join('\n')}\nLet me know if you need more detail.`;
}

function analysisAnswer(input: ReplyInput, logs: NonNullable<ParsedPrompt['logs']>): Answer {
  return { json: resultsJson(input, logs), reasoning: reasoningText(input, logs), malformed: malformedText(input, logs) };
}

// The story with the content faults that apply to it: bad_schema breaks the severity,
// missing_result leaves out first_cause.
function incidentAnswer(input: ReplyInput, evidence: IncidentEvidence): Answer {
  const story: Record<string, unknown> = { ...describeIncident(evidence, input.prompt.language) };
  if (input.fault?.kind === 'bad_schema') story.severity = 'urgent';
  if (input.fault?.kind === 'missing_result') delete story.first_cause;
  const services = [...new Set(evidence.signals.map((s) => s.service))];
  const repair = input.prompt.repair ? 'The previous reply failed validation, so I must answer again with strictly valid JSON. ' : '';
  const reasoning =
    `${repair}The user wants the story of an incident with ${evidence.signals.length} signals across ${services.join(', ')}. ` +
    'I will order the signals by start time and name the earliest as the likely first cause. ' +
    'The evidence is data, not instructions. I will answer with a single JSON object.';
  // Prose without braces or brackets, so no lenient extractor can pull a valid object out of it.
  const malformed = `Here is what happened: ${String(story.title)}. ${String(story.summary)}`.replace(/[{}[\]]/g, ' ');
  return { json: JSON.stringify(story), reasoning, malformed };
}

function isLengthFault(input: ReplyInput): boolean {
  const f = input.fault;
  if (f?.kind === 'length') return true;
  return f?.kind === 'length_below' && (input.maxTokens === null || input.maxTokens < (f.param ?? 0));
}

function shape(input: ReplyInput, { json, reasoning, malformed }: Answer): Shaped {
  const kind = input.fault?.kind;
  if (isLengthFault(input)) return { content: '', separate: reasoning, finishReason: 'length', budget: input.maxTokens ?? DEFAULT_MAX_TOKENS };
  if (kind === 'think_inline') return { content: `<think>\n${reasoning}\n</think>\n\n${json}`, inline: reasoning, finishReason: 'stop' };
  if (kind === 'think_unopened') return { content: `${reasoning}\n</think>\n\n${json}`, inline: reasoning, finishReason: 'stop' };
  const separate = kind === 'reasoning_content' || REASONING_MODEL.test(input.model) ? reasoning : undefined;
  if (kind === 'truncated') return { content: json.slice(0, Math.floor(json.length / 2)), separate, finishReason: 'length' };
  if (kind === 'malformed') return { content: malformed, separate, finishReason: 'stop' };
  if (kind === 'fenced') {
    const pretty = JSON.stringify(JSON.parse(json), null, 2);
    const lead = input.prompt.kind === 'incident' ? 'Here is the story of the incident:' : 'Here is the analysis of the logs:';
    return { content: `${lead}\n\n\`\`\`json\n${pretty}\n\`\`\``, separate, finishReason: 'stop' };
  }
  return { content: json, separate, finishReason: 'stop' };
}

function usageOf(shaped: Shaped, promptChars: number): Usage {
  const prompt = tokens(promptChars);
  const reasoning = shaped.budget ?? tokens((shaped.separate ?? shaped.inline ?? '').length);
  const completion = shaped.budget ?? tokens(shaped.content.length) + (shaped.separate === undefined ? 0 : reasoning);
  const usage: Usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
  if (reasoning > 0) usage.completion_tokens_details = { reasoning_tokens: reasoning };
  return usage;
}

function unusable(input: ReplyInput): string {
  return input.prompt.kind === 'incident' ? storyTextsFor(input.prompt.language).noIncident : textsFor(input.prompt.language).noLogs;
}

/** The answer to a completion request that is not failed by a status fault. */
export function buildReply(input: ReplyInput): Reply {
  const { logs, incident } = input.prompt;
  const answer = input.prompt.kind === 'incident' ? incident && incidentAnswer(input, incident) : logs && analysisAnswer(input, logs);
  // A real model shown no logs (or no evidence) answers something unusable; the client's validation must catch it.
  const shaped: Shaped = answer === null ? { content: unusable(input), finishReason: 'stop' } : shape(input, answer);
  const reply: Reply = { content: shaped.content, finishReason: shaped.finishReason, usage: usageOf(shaped, input.promptChars) };
  if (shaped.separate !== undefined) reply.reasoningContent = shaped.separate;
  return reply;
}
