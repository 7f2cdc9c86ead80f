import type { Db } from '../../db/types.js';
import { RetryLaterError, type AnalysisJob, type JobContext } from '../../queue/index.js';
import {
  bumpAttempts,
  completeVerdict,
  noteError,
  readJobVerdicts,
  refundAttempt,
  releaseVerdicts,
  reopenWaiting,
  replaceRepresentative,
  resolveKeys,
  type JobVerdict,
} from './repo-verdicts.js';
import { AnalysisCallError } from '@logsage/ai-service';
import { lockTemplates } from './repo-keys.js';
import { spreadParameterDependent } from './rekey.js';
import { addUsage } from './repo-usage.js';
import { budgetReason, shareByService, utcDay, type BudgetGate } from './budget.js';
import type { AiAnswer, AiBackend, AiLogItem, StoredVerdict } from './types.js';

export interface JobDeps {
  db: Db;
  ai: AiBackend;
  attempts: number;
  verdictTtlS: number;
  log: { warn: (o: object, m: string) => void; info: (o: object, m: string) => void };
  /** Called with the number of results written (metrics, alert engine nudges). */
  onResults?: (n: number) => void;
  /** The daily LLM budgets; checked before every batch. */
  budget?: BudgetGate | undefined;
  /** The clock that dates usage (the budget's day). */
  now?: (() => number) | undefined;
}

const PAUSE_MS = 30_000;
/**
 * An ai role that refused the connection is most often restarting, back within seconds: look again
 * soon (a pause uses no attempt). With 30 s, a killed and restarted ai role left analysis idle for
 * up to half a minute after it was back (the fault matrix measured 21-27 s).
 */
const UNREACHABLE_PAUSE_MS = 5_000;

/** Flattens attributes to strings and keeps a few, so the prompt stays small. */
function pickAttributes(a: Record<string, unknown> | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(a ?? {}).slice(0, 8)) {
    const s = typeof v === 'string' ? v : JSON.stringify(v);
    out[k] = s.length > 200 ? `${s.slice(0, 200)}…` : s;
  }
  return out;
}

const toItem = (v: JobVerdict): AiLogItem => ({
  id: v.representative_id,
  timestamp: v.ts ?? '',
  level: v.level ?? 'unknown',
  service: v.service ?? '',
  message: v.message ?? '',
  template: v.template ?? '',
  occurrences: Number(v.occurrences ?? 1),
  attributes: pickAttributes(v.attributes),
});

/**
 * Runs one LLM batch: claims the job's verdicts, asks the ai role, stores the verdicts and a result
 * for every waiting log. Idempotent: verdicts no longer owned by this job are left alone.
 */
export function createJobHandler(deps: JobDeps): (job: AnalysisJob, ctx: JobContext) => Promise<void> {
  return async (job) => {
    if (await overBudget(deps, job)) return;
    await bumpAttempts(deps.db, job.id, job.keys);
    let claimed = await readJobVerdicts(deps.db, job.id, job.keys);
    const orphans = claimed.filter((c) => c.message === null);
    // A representative dropped by retention: another waiting log stands in, or the verdict goes.
    for (const v of orphans) await replaceRepresentative(deps.db, v.key);
    if (orphans.length > 0) claimed = (await readJobVerdicts(deps.db, job.id, job.keys)).filter((c) => c.message !== null);
    if (claimed.length === 0) return;
    let answer: AiAnswer;
    try {
      answer = await deps.ai.analyze(claimed.map(toItem), { requestId: job.id });
    } catch (err) {
      await recordSpent(deps, claimed, err);
      await handleFailure(deps, job.id, claimed, err);
      return;
    }
    const written = await store(deps, job.id, claimed, answer);
    deps.onResults?.(written);
  };
}

/**
 * A batch that would go past a daily budget goes back to open without using an attempt: its logs
 * stay pending, and the worker schedules it again on the next UTC day or once the budget is raised.
 */
async function overBudget(deps: JobDeps, job: AnalysisJob): Promise<boolean> {
  if (!deps.budget) return false;
  const st = await deps.budget.check();
  if (!st.reached) return false;
  await reopenWaiting(deps.db, job.id, job.keys, budgetReason(st));
  return true;
}

/**
 * Counts what a failed call already spent (invalid or cut replies are billed like good ones) in the
 * day's usage, in its own transaction before the batch is retried or parked: without it a model that
 * keeps answering badly burns tokens the budget never sees. Each attempt's call reports only its own
 * spend, so recording it once per failed attempt counts every billed token once.
 */
async function recordSpent(deps: JobDeps, claimed: JobVerdict[], err: unknown): Promise<void> {
  if (!(err instanceof AnalysisCallError) || !err.usage || !err.llmCalls || !err.model) return;
  const { usage, llmCalls, model } = err;
  const shares = shareByService(claimed.map((c) => c.service ?? ''), usage);
  await deps.db.transaction((tx) => addUsage(tx, utcDay((deps.now ?? Date.now)()), model, llmCalls, usage, shares));
}

const isPause = (err: unknown): err is AnalysisCallError =>
  err instanceof AnalysisCallError &&
  (['not_configured', 'rate_limited', 'unauthenticated'].includes(err.code) || (err.code === 'unavailable' && /circuit open|UNAVAILABLE: No connection|connect/i.test(err.message)));

async function handleFailure(deps: JobDeps, jobId: string, claimed: JobVerdict[], err: unknown): Promise<void> {
  const keys = claimed.map((c) => c.key);
  const message = err instanceof Error ? err.message : String(err);
  if (isPause(err)) {
    // The provider is paused (rate limit, open circuit, no key), not failing on this batch: wait
    // without using up an attempt. Plain 5xx and timeouts do count: a batch can be what breaks it.
    await refundAttempt(deps.db, jobId, keys);
    await noteError(deps.db, keys, message);
    const unreachable = err.code === 'unavailable' && !/circuit open/i.test(err.message);
    throw new RetryLaterError(message, err.retryAfterMs ?? (unreachable ? UNREACHABLE_PAUSE_MS : PAUSE_MS));
  }
  const permanent = err instanceof AnalysisCallError && err.code === 'invalid';
  const exhausted = Math.max(...claimed.map((c) => c.attempts)) >= deps.attempts;
  if (permanent || exhausted) {
    deps.log.warn({ jobId, keys: keys.length, err: message }, 'analysis batch parked');
    await releaseVerdicts(deps.db, jobId, keys, `${permanent ? 'rejected' : `failed ${deps.attempts} times`}: ${message}`);
    return;
  }
  await noteError(deps.db, keys, message);
  throw err instanceof Error ? err : new Error(message);
}

async function store(deps: JobDeps, jobId: string, claimed: JobVerdict[], answer: AiAnswer): Promise<number> {
  const byLog = new Map(answer.results.map((r) => [r.logId, r]));
  // Only a template-wide key spreads to other lines; a per-value key already is specific.
  const spreads = (c: JobVerdict): boolean => byLog.get(c.representative_id)?.parameterDependent === true && c.key === c.template_id;
  return deps.db.transaction(async (tx) => {
    await lockTemplates(tx, [...new Set(claimed.filter(spreads).map((c) => c.template_id))]);
    const done: string[] = [];
    const missing: string[] = [];
    const spread: { c: JobVerdict; keyParams: number[] }[] = [];
    for (const c of claimed) {
      const r = byLog.get(c.representative_id);
      if (!r) {
        missing.push(c.key);
        continue;
      }
      const v: StoredVerdict = {
        is_anomaly: r.isAnomaly,
        anomaly_score: r.anomalyScore,
        severity: r.severity,
        category: r.category,
        summary: r.summary,
        root_cause: r.rootCause,
        suggestion: r.suggestion,
        confidence: r.confidence,
        parameter_dependent: r.parameterDependent,
        key_params: r.keyParams,
        prompt_version: answer.promptVersion,
      };
      if (!(await completeVerdict(tx, jobId, c.key, v, { model: answer.model, demo: answer.demo, ttlS: deps.verdictTtlS }))) continue;
      done.push(c.key);
      if (spreads(c)) spread.push({ c, keyParams: r.keyParams });
    }
    for (const s of spread) done.push(...(await spreadParameterDependent(tx, s.c, s.keyParams)));
    const written = await resolveKeys(tx, [...new Set(done)]);
    const exhausted = claimed.filter((c) => missing.includes(c.key) && c.attempts >= deps.attempts).map((c) => c.key);
    await releaseVerdicts(tx, jobId, missing.filter((k) => !exhausted.includes(k)), undefined);
    await releaseVerdicts(tx, jobId, exhausted, `the model returned no result for this log ${deps.attempts} times`);
    // The batch's tokens go to the services of the entries it sent, in proportion to their number.
    const shares = shareByService(claimed.map((c) => c.service ?? ''), answer.usage);
    await addUsage(tx, utcDay((deps.now ?? Date.now)()), answer.model, answer.llmCalls, answer.usage, shares);
    return written;
  });
}
