import { epochBin, LOG_OF_PENDING, utcText } from '../../db/sql.js';
import type { Queryable } from '../../db/types.js';
import type { StoredVerdict } from './types.js';
import { quotedValues, textFitter } from './fit-text.js';

// SQL of verdicts as work items: scheduling, the job's reads and writes, parking, resolving logs.

/** Open verdicts, oldest request first, locked for this transaction (other schedulers skip them). */
export async function lockOpenVerdicts(q: Queryable, limit: number): Promise<{ key: string; waited_ms: number }[]> {
  const r = await q.query<{ key: string; waited_ms: number }>(
    `SELECT key, (extract(epoch FROM now() - requested_at) * 1000)::float8 AS waited_ms
       FROM verdicts WHERE state = 'open' ORDER BY requested_at, key LIMIT $1 FOR UPDATE SKIP LOCKED`,
    [limit],
  );
  return r.rows;
}

/** Marks verdicts scheduled under one job. */
export async function markScheduled(q: Queryable, jobId: string, keys: string[]): Promise<void> {
  await q.query(`UPDATE verdicts SET state = 'scheduled', job_id = $1, scheduled_at = now() WHERE key = ANY($2::text[])`, [jobId, keys]);
}

export interface JobVerdict {
  key: string;
  template_id: string;
  attempts: number;
  representative_id: string;
  template: string | null;
  occurrences: string | null;
  ts: string | null;
  level: string | null;
  service: string | null;
  message: string | null;
  attributes: Record<string, unknown> | null;
}

/** Counts an attempt on this job's verdicts (a crash mid-job counts too). */
export async function bumpAttempts(q: Queryable, jobId: string, keys: string[]): Promise<void> {
  await q.query(`UPDATE verdicts SET attempts = attempts + 1 WHERE key = ANY($2::text[]) AND state = 'scheduled' AND job_id = $1`, [jobId, [...keys].sort()]);
}

/**
 * This job's verdicts with their representative log (null fields when that log is gone). Verdicts
 * no longer scheduled under this job are skipped: a job that runs twice finds nothing the second time.
 */
export async function readJobVerdicts(q: Queryable, jobId: string, keys: string[]): Promise<JobVerdict[]> {
  const r = await q.query<JobVerdict>(
    `SELECT v.key, v.template_id, v.attempts, v.representative_id::text AS representative_id, t.template, t.count::text AS occurrences,
            ${utcText('l.ts')} AS ts, l.level, l.service, l.message, l.attributes
       FROM verdicts v LEFT JOIN logs l ON l.id = v.representative_id AND l.ts = v.representative_ts
       LEFT JOIN log_templates t ON t.id = v.template_id
      WHERE v.key = ANY($2::text[]) AND v.state = 'scheduled' AND v.job_id = $1
      ORDER BY v.key`,
    [jobId, keys],
  );
  return r.rows;
}

/** Moves a verdict whose representative log is gone onto another log still waiting for it. */
export async function replaceRepresentative(q: Queryable, key: string): Promise<boolean> {
  const r = await q.query(
    `UPDATE verdicts v SET representative_id = p.log_id, representative_ts = p.ts
       FROM (SELECT log_id, ts FROM analysis_pending WHERE verdict_key = $1 ORDER BY log_id LIMIT 1) p
      WHERE v.key = $1`,
    [key],
  );
  if (r.rowCount > 0) return true;
  await q.query(`DELETE FROM verdicts WHERE key = $1 AND state <> 'done'`, [key]);
  return false;
}

/** Gives back an attempt that did not really happen (the provider was paused). */
export async function refundAttempt(q: Queryable, jobId: string, keys: string[]): Promise<void> {
  await q.query(`UPDATE verdicts SET attempts = greatest(attempts - 1, 0) WHERE key = ANY($2::text[]) AND job_id = $1 AND state = 'scheduled'`, [jobId, keys]);
}

/** Stores a finished verdict for a key of this job; returns false when the job no longer owns it. */
export async function completeVerdict(
  q: Queryable,
  jobId: string,
  key: string,
  v: StoredVerdict,
  meta: { model: string; demo: boolean; ttlS: number },
): Promise<boolean> {
  const r = await q.query(
    `UPDATE verdicts SET state = 'done', result = $3::jsonb, model = $4, demo = $5, analysed_at = now(),
            expires_at = now() + make_interval(secs => $6), last_error = NULL
      WHERE key = $2 AND job_id = $1 AND state = 'scheduled'`,
    [jobId, key, JSON.stringify(v), meta.model, meta.demo, meta.ttlS],
  );
  return r.rowCount > 0;
}

/** Returns verdicts of this job to the open pool (partial answers), or parks them with a reason. */
export async function releaseVerdicts(q: Queryable, jobId: string, keys: string[], park: string | undefined): Promise<void> {
  if (keys.length === 0) return;
  await q.query(
    `UPDATE verdicts SET state = $3, last_error = coalesce($4, last_error), job_id = NULL, scheduled_at = NULL
      WHERE key = ANY($2::text[]) AND job_id = $1 AND state = 'scheduled'`,
    [jobId, keys, park === undefined ? 'open' : 'parked', park ?? null],
  );
}

/** Gives this job's verdicts back to scheduling with the reason they wait, without counting an attempt. */
export async function reopenWaiting(q: Queryable, jobId: string, keys: string[], reason: string): Promise<void> {
  await q.query(
    `UPDATE verdicts SET state = 'open', last_error = $3, job_id = NULL, scheduled_at = NULL
      WHERE key = ANY($2::text[]) AND job_id = $1 AND state = 'scheduled'`,
    [jobId, [...keys].sort(), reason],
  );
}

/** Records that a key's last attempt failed, without changing its state. */
export async function noteError(q: Queryable, keys: string[], error: string): Promise<void> {
  await q.query(`UPDATE verdicts SET last_error = $2 WHERE key = ANY($1::text[])`, [keys, error]);
}

/**
 * Writes a result for every log waiting on these keys' finished verdicts, clears them from pending
 * and adds them to the per-minute counts (analysis_counts_minute), in one statement. The result's
 * primary key makes a repeat write nothing, and only rows really inserted are counted.
 */
export async function resolveKeys(q: Queryable, keys: string[]): Promise<number> {
  if (keys.length === 0) return 0;
  const fitted = await fittedTexts(q, keys);
  // Counters are upserted in key order: concurrent writers lock the ones they share in one order.
  const r = await q.query<{ n: string }>(
    `WITH v AS (SELECT key, result, model, demo, representative_id FROM verdicts WHERE key = ANY($1::text[]) AND state = 'done'),
     del AS (DELETE FROM analysis_pending p USING v WHERE p.verdict_key = v.key RETURNING p.log_id, p.ts, p.template_id, p.verdict_key),
     fit AS (SELECT * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[]) AS f(log_id, summary, root_cause, suggestion)),
     ins AS (
     INSERT INTO analysis_results (log_id, ts, service, level, template_id, verdict_key, source, is_anomaly, anomaly_score, severity,
                                   category, summary, root_cause, suggestion, confidence, model, prompt_version, demo)
     SELECT del.log_id, del.ts, l.service, l.level, del.template_id, del.verdict_key,
            CASE WHEN del.log_id = v.representative_id THEN 'llm' ELSE 'template' END,
            (v.result->>'is_anomaly')::boolean, (v.result->>'anomaly_score')::real, v.result->>'severity', v.result->>'category',
            coalesce(fit.summary, v.result->>'summary'), coalesce(fit.root_cause, v.result->>'root_cause'),
            coalesce(fit.suggestion, v.result->>'suggestion'), (v.result->>'confidence')::real,
            v.model, v.result->>'prompt_version', v.demo
       FROM del JOIN v ON v.key = del.verdict_key ${LOG_OF_PENDING('del', 'service, level')}
       LEFT JOIN fit ON fit.log_id = del.log_id
      ORDER BY del.log_id
     ON CONFLICT (log_id) DO NOTHING
     RETURNING ts, service, severity, category, is_anomaly),
     rollup AS (
       INSERT INTO analysis_counts_minute (minute, service, severity, category, is_anomaly, count)
       SELECT ${epochBin("'1 minute'::interval", 'ts')}, service, severity, category, is_anomaly, count(*)
         FROM ins GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
       ON CONFLICT (minute, service, severity, category, is_anomaly) DO UPDATE SET count = analysis_counts_minute.count + EXCLUDED.count)
     SELECT count(*)::text AS n FROM ins`,
    [[...keys].sort(), fitted.ids, fitted.summary, fitted.rootCause, fitted.suggestion],
  );
  return Number(r.rows[0]?.n ?? 0);
}

interface Fitted { ids: string[]; summary: string[]; rootCause: string[]; suggestion: string[] }
/** A done verdict's representative line and the texts written for it. */
interface Representative { key: string; rep_id: string; rep: string; summary: string; root_cause: string; suggestion: string }

/**
 * The verdict texts of waiting lines that differ from their representative in values the texts quote,
 * fitted to each line (fit-text.ts). Lines are read only for verdicts whose text quotes a value.
 */
async function fittedTexts(q: Queryable, keys: string[]): Promise<Fitted> {
  const out: Fitted = { ids: [], summary: [], rootCause: [], suggestion: [] };
  const reps = await q.query<Representative>(
    `SELECT v.key, v.representative_id::text AS rep_id, l.message AS rep, v.result->>'summary' AS summary,
            v.result->>'root_cause' AS root_cause, v.result->>'suggestion' AS suggestion
       FROM verdicts v JOIN logs l ON l.id = v.representative_id AND l.ts = v.representative_ts
      WHERE v.key = ANY($1::text[]) AND v.state = 'done'`,
    [keys],
  );
  const quoting = new Map<string, Representative & { fitter: ReturnType<typeof textFitter> }>();
  for (const r of reps.rows) {
    const quoted = quotedValues(r.rep, [r.summary, r.root_cause, r.suggestion]);
    if (quoted.length > 0) quoting.set(r.key, { ...r, fitter: textFitter(r.rep, quoted) });
  }
  if (quoting.size === 0) return out;
  const lines = await q.query<{ log_id: string; key: string; message: string }>(
    `SELECT p.log_id::text AS log_id, p.verdict_key AS key, l.message FROM analysis_pending p ${LOG_OF_PENDING('p', 'message')}
      WHERE p.verdict_key = ANY($1::text[])`,
    [[...quoting.keys()]],
  );
  for (const line of lines.rows) {
    const v = quoting.get(line.key);
    if (!v || line.log_id === v.rep_id || line.message === v.rep) continue;
    const fit = v.fitter(line.message);
    out.ids.push(line.log_id);
    out.summary.push(fit(v.summary));
    out.rootCause.push(fit(v.root_cause));
    out.suggestion.push(fit(v.suggestion));
  }
  return out;
}
