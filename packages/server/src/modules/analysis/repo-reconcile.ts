import { epochBin } from '../../db/sql.js';
import type { Queryable } from '../../db/types.js';

// SQL of the reconciler: PostgreSQL is the truth, queues may lose jobs.

/** Scheduled verdicts older than `staleMs`, with the job each waits on. */
export async function staleScheduled(q: Queryable, staleMs: number, limit: number): Promise<{ key: string; job_id: string }[]> {
  const r = await q.query<{ key: string; job_id: string }>(
    `SELECT key, job_id FROM verdicts
      WHERE state = 'scheduled' AND scheduled_at < now() - make_interval(secs => $1::double precision / 1000)
      ORDER BY scheduled_at LIMIT $2`,
    [staleMs, limit],
  );
  return r.rows;
}

/** Reopens verdicts whose job no longer exists anywhere (lost with Redis, failed by stalls). */
export async function reopen(q: Queryable, keys: string[]): Promise<number> {
  if (keys.length === 0) return 0;
  const r = await q.query(
    `UPDATE verdicts SET state = 'open', job_id = NULL, scheduled_at = NULL WHERE key = ANY($1::text[]) AND state = 'scheduled'`,
    [[...keys].sort()],
  );
  return r.rowCount;
}

/** Keys of finished verdicts that still have logs waiting (a race with the assign pass). */
export async function doneKeysWithWaiters(q: Queryable, limit: number): Promise<string[]> {
  const r = await q.query<{ key: string }>(
    `SELECT DISTINCT v.key FROM verdicts v JOIN analysis_pending p ON p.verdict_key = v.key
      WHERE v.state = 'done' AND p.enqueued_at < now() - interval '5 seconds' LIMIT $1`,
    [limit],
  );
  return r.rows.map((x) => x.key);
}

/** Pending logs keyed to a verdict that no longer exists go back to the assign pass. */
export async function unkeyOrphans(q: Queryable): Promise<number> {
  const r = await q.query(
    `UPDATE analysis_pending p SET verdict_key = NULL
      WHERE p.verdict_key IS NOT NULL AND NOT EXISTS (SELECT 1 FROM verdicts v WHERE v.key = p.verdict_key)`,
  );
  return r.rowCount;
}

// The cutoff is on a whole minute (hour), so the results deleted are exactly those counted in the
// rollup rows deleted with them: what remains still adds up to the results that remain.
const MINUTE_CUTOFF = epochBin("'1 minute'::interval", 'now() - make_interval(days => $1)');
const HOUR_CUTOFF = epochBin("'1 hour'::interval", 'now() - make_interval(days => $1)');

/** Days of per-template minute counts kept (the hourly counts keep the retention window). */
export const TEMPLATE_MINUTE_DAYS = 2;

/** Deletes results, pending entries and analysis rollups older than the retention window (hourly, with the partitions); template minutes after 2 days. */
export async function pruneAnalysis(q: Queryable, retentionDays: number): Promise<void> {
  await q.query(`DELETE FROM analysis_results WHERE ts < ${MINUTE_CUTOFF}`, [retentionDays]);
  await q.query(`DELETE FROM analysis_counts_minute WHERE minute < ${MINUTE_CUTOFF}`, [retentionDays]);
  await q.query(`DELETE FROM template_counts_hour WHERE hour < ${HOUR_CUTOFF}`, [retentionDays]);
  // The incident loop reads at most a few hours of minutes; older history is in the hourly counts.
  await q.query(`DELETE FROM template_counts_minute WHERE minute < ${MINUTE_CUTOFF}`, [Math.min(retentionDays, TEMPLATE_MINUTE_DAYS)]);
  await q.query(`DELETE FROM analysis_pending WHERE ts < now() - make_interval(days => $1)`, [retentionDays]);
}
