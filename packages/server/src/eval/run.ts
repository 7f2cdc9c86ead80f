// Runs the suite through the ai role's own analyzer (redaction, prompt, reply validation, repair):
// the figures describe what production would get from the configured provider, not a look-alike path.
// Batches go one at a time, so a call's latency is the provider's and not a queue's.
import { AnalysisError, createAnalyzer, type AiServiceOptions, type AiStatus, type Analyzer, type LogItemInput } from '@logsage/ai-service';
import type { Language, SeverityName } from '@logsage/contracts';
import type { EvalCase } from './suite.js';

/** What the model said about one case (absent: no verdict came back). */
export interface CaseVerdict {
  isAnomaly: boolean;
  severity: SeverityName;
  category: string;
  summary: string;
}

/** One AnalyzeLogs call as the eval saw it. */
export interface CallRecord {
  cases: number;
  /** Wall time of the call, retries and repairs included. */
  ms: number;
  /** Every case of the batch got a verdict. */
  complete: boolean;
  /** The provider's first answer was accepted as it was: no repair, no raised budget, no split. */
  firstValid: boolean;
  /** Repair round trips (and key_params fallbacks), as the ai role counts them. */
  repairs: number;
  promptTokens: number;
  completionTokens: number;
  reasoningTokens: number;
  error?: string | undefined;
}

export interface RunRecord {
  provider: string;
  model: string;
  language: Language;
  batchSize: number;
  calls: CallRecord[];
  verdicts: Map<string, CaseVerdict>;
  startedAt: Date;
  durationMs: number;
}

export interface RunSettings {
  batchSize: number;
  language: Language;
  /** Called after each call, e.g. to show progress on stderr. */
  onCall?: ((done: number, total: number) => void) | undefined;
}

/** A provider that rejects the key, or no provider at all: no figure would mean anything. */
export class ProviderConfigError extends Error {}

// A rate limit or an outage longer than the ai role waits inline comes back as an error with a
// delay; the eval waits it out (bounded) instead of scoring a provider by its quota.
const TRANSIENT_RETRIES = 3;
const MAX_WAIT_MS = 60_000;

const toItem = (c: EvalCase): LogItemInput => ({
  id: c.id,
  level: c.level,
  service: c.service,
  message: c.message,
  template: c.template,
  occurrences: 1,
});

interface Attempt {
  verdicts: CaseVerdict[];
  ids: string[];
  repairs: number;
  error?: string;
}

async function analyseOnce(analyzer: Analyzer, batch: EvalCase[], language: Language, requestId: string): Promise<Attempt> {
  for (let retry = 0; ; retry++) {
    try {
      const r = await analyzer.analyze({ logs: batch.map(toItem), language, requestId });
      const verdicts = r.results.map((v) => ({ isAnomaly: v.isAnomaly, severity: v.severity, category: v.category, summary: v.summary }));
      return { verdicts, ids: r.results.map((v) => v.logId), repairs: r.repairs };
    } catch (err) {
      if (!(err instanceof AnalysisError)) throw err;
      if (err.code === 'not_configured') throw new ProviderConfigError(err.message);
      const transient = err.code === 'rate_limited' || err.code === 'unavailable';
      if (!transient || retry >= TRANSIENT_RETRIES) return { verdicts: [], ids: [], repairs: 0, error: `${err.code}: ${err.message}` };
      await new Promise((r) => setTimeout(r, Math.min(err.retryAfterMs ?? 5000, MAX_WAIT_MS)));
    }
  }
}

/** The counters of the analyzer that one call moved: its requests, failures and tokens. */
function delta(before: AiStatus, after: AiStatus): { answers: number; prompt: number; completion: number; reasoning: number } {
  return {
    // Requests that got an answer: the first, plus one per repair, raised budget or split half.
    answers: after.requestsTotal - before.requestsTotal - (after.failuresTotal - before.failuresTotal),
    prompt: after.usageTotal.promptTokens - before.usageTotal.promptTokens,
    completion: after.usageTotal.completionTokens - before.usageTotal.completionTokens,
    reasoning: after.usageTotal.reasoningTokens - before.usageTotal.reasoningTokens,
  };
}

/** Analyses `cases` in batches of `batchSize` with the provider of `options`; throws ProviderConfigError when none is usable. */
export async function runSuite(cases: EvalCase[], options: AiServiceOptions, settings: RunSettings): Promise<RunRecord> {
  if (!options.provider) throw new ProviderConfigError('no LLM provider configured: set SILICONFLOW_API_TOKEN, or LLM_BASE_URL and LLM_MODEL');
  const analyzer = createAnalyzer(options);
  const run: RunRecord = {
    provider: options.provider.name,
    model: options.provider.model,
    language: settings.language,
    batchSize: settings.batchSize,
    calls: [],
    verdicts: new Map(),
    startedAt: new Date(),
    durationMs: 0,
  };
  const total = Math.ceil(cases.length / settings.batchSize);
  for (let i = 0; i < cases.length; i += settings.batchSize) {
    const batch = cases.slice(i, i + settings.batchSize);
    const before = analyzer.status();
    const started = performance.now();
    const attempt = await analyseOnce(analyzer, batch, settings.language, `eval-${run.calls.length + 1}`);
    const ms = performance.now() - started;
    const d = delta(before, analyzer.status());
    attempt.ids.forEach((id, k) => {
      const v = attempt.verdicts[k];
      if (v) run.verdicts.set(id, v);
    });
    const complete = batch.every((c) => run.verdicts.has(c.id));
    run.calls.push({
      cases: batch.length,
      ms,
      complete,
      firstValid: attempt.error === undefined && d.answers === 1,
      repairs: attempt.error === undefined ? attempt.repairs : Math.max(0, d.answers - 1),
      promptTokens: d.prompt,
      completionTokens: d.completion,
      reasoningTokens: d.reasoning,
      error: attempt.error,
    });
    settings.onCall?.(run.calls.length, total);
  }
  run.durationMs = Date.now() - run.startedAt.getTime();
  return run;
}
