import type { Queryable } from '../../db/types.js';
import type { CursorState } from './cursor.js';
import type { ResultRow } from './match.js';
import { utc } from './repo-rules.js';
import { MAX_MATCHED_CHARS } from './safe-regex.js';
import type { Matcher } from './schema.js';

// Any constant shared by every LogSage process: one evaluator at a time, the others skip the tick.
const ENGINE_LOCK_KEY = 4_711_005;
const ms = (col: string): string => `(extract(epoch FROM ${col}) * 1000)::float8`;
const iso = (t: number): string => new Date(t).toISOString();

/** Takes the engine's transaction-scoped lock without waiting; false when another process holds it. */
export async function tryEngineLock(q: Queryable): Promise<boolean> {
  const r = await q.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [ENGINE_LOCK_KEY]);
  return r.rows[0]?.ok === true;
}

/**
 * Waits for the engine's lock (transaction-scoped). Incident updates write alerts outside the engine's
 * ticks: holding its lock keeps a tick from reading an alert as firing while an incident resolves it.
 */
export async function waitEngineLock(q: Queryable): Promise<void> {
  await q.query('SELECT pg_advisory_xact_lock($1)', [ENGINE_LOCK_KEY]);
}

/** Reads the cursor row, locking it for the transaction. */
export async function readCursor(q: Queryable): Promise<CursorState> {
  const r = await q.query<{ cursor: string; horizon_seq: string | null; horizon_at: number | null }>(
    `SELECT cursor::text AS cursor, horizon_seq::text AS horizon_seq, ${ms('horizon_at')} AS horizon_at FROM alert_engine_state WHERE id = 1 FOR UPDATE`,
  );
  const row = r.rows[0];
  if (!row) return { cursor: 0, horizonSeq: null, horizonAt: null };
  return { cursor: Number(row.cursor), horizonSeq: row.horizon_seq === null ? null : Number(row.horizon_seq), horizonAt: row.horizon_at };
}

/** Stores the cursor. */
export async function saveCursor(q: Queryable, s: CursorState, now: number): Promise<void> {
  await q.query(
    `INSERT INTO alert_engine_state (id, cursor, horizon_seq, horizon_at, updated_at) VALUES (1, $1, $2, $3::timestamptz, $4::timestamptz)
     ON CONFLICT (id) DO UPDATE SET cursor = EXCLUDED.cursor, horizon_seq = EXCLUDED.horizon_seq, horizon_at = EXCLUDED.horizon_at, updated_at = EXCLUDED.updated_at`,
    [s.cursor, s.horizonSeq, s.horizonAt === null ? null : iso(s.horizonAt), iso(now)],
  );
}

const RESULT_COLUMNS = `r.seq::text AS seq, r.log_id::text AS log_id, ${utc('r.ts')} AS ts, r.service, r.level, r.template_id,
  r.is_anomaly, r.severity, r.category, r.summary, r.root_cause, r.suggestion, r.demo, left(l.message, ${MAX_MATCHED_CHARS}) AS message`;
const RESULT_FROM = 'analysis_results r LEFT JOIN logs l ON l.id = r.log_id AND l.ts = r.ts';

/** Results after `cursor`, in seq order, with the head of their log message. */
export async function readResults(q: Queryable, cursor: number, limit: number): Promise<ResultRow[]> {
  const r = await q.query<ResultRow>(`SELECT ${RESULT_COLUMNS} FROM ${RESULT_FROM} WHERE r.seq > $1 ORDER BY r.seq LIMIT $2`, [cursor, limit]);
  return r.rows;
}

/** Filters the database can apply before the rule's own predicate (which still checks everything). */
export interface Prefilter {
  severities?: string[];
  anomaly?: boolean;
  categories?: string[];
  services?: string[];
  levels?: string[];
  templates?: string[];
}

/** Results with event time in [from, to), oldest first, narrowed by the prefilter (rule preview). */
export async function readResultsBetween(q: Queryable, from: number, to: number, f: Prefilter, limit: number): Promise<ResultRow[]> {
  const where = ['r.ts >= $1::timestamptz', 'r.ts < $2::timestamptz'];
  const params: unknown[] = [iso(from), iso(to)];
  const add = (col: string, v: string[] | undefined): void => {
    if (!v || v.length === 0) return;
    params.push(v);
    where.push(`${col} = ANY($${params.length}::text[])`);
  };
  add('r.severity', f.severities);
  add('r.category', f.categories);
  add('r.service', f.services);
  add('r.level', f.levels);
  add('r.template_id', f.templates);
  if (f.anomaly !== undefined) {
    params.push(f.anomaly);
    where.push(`r.is_anomaly = $${params.length}`);
  }
  params.push(limit);
  const r = await q.query<ResultRow>(
    `SELECT ${RESULT_COLUMNS} FROM ${RESULT_FROM} WHERE ${where.join(' AND ')} ORDER BY r.ts, r.seq LIMIT $${params.length}`,
    params,
  );
  return r.rows;
}

/** The recent hits (epoch ms) of not-yet-firing threshold groups, keyed by fingerprint. */
export async function readPending(q: Queryable, fingerprints: string[]): Promise<Map<string, number[]>> {
  if (fingerprints.length === 0) return new Map();
  const r = await q.query<{ fingerprint: string; hits: number[] }>(
    `SELECT fingerprint, ARRAY(SELECT ${ms('h')} FROM unnest(hits) AS h) AS hits FROM alert_pending WHERE fingerprint = ANY($1::text[])`,
    [fingerprints],
  );
  return new Map(r.rows.map((row) => [row.fingerprint, row.hits.map(Number)]));
}

/** Stores a group's recent hits. */
export async function savePending(q: Queryable, ruleId: string, fp: string, hits: number[], now: number): Promise<void> {
  await q.query(
    `INSERT INTO alert_pending (rule_id, fingerprint, hits, updated_at) VALUES ($1, $2, $3::timestamptz[], $4::timestamptz)
     ON CONFLICT (rule_id, fingerprint) DO UPDATE SET hits = EXCLUDED.hits, updated_at = EXCLUDED.updated_at`,
    [ruleId, fp, hits.map(iso), iso(now)],
  );
}

/** Forgets a group's hits (it fired) or every group untouched since `before` (pass fp undefined). */
export async function deletePending(q: Queryable, fp: string | undefined, before?: number): Promise<void> {
  if (fp !== undefined) await q.query('DELETE FROM alert_pending WHERE fingerprint = $1', [fp]);
  else await q.query('DELETE FROM alert_pending WHERE updated_at < $1::timestamptz', [iso(before ?? 0)]);
}

/** A firing alert as the engine handles it (times in epoch ms). */
export interface EngineAlert {
  id: string;
  rule_id: string | null;
  rule_name: string;
  fingerprint: string;
  labels: Record<string, string>;
  severity: string;
  count: number;
  first_seen: number;
  last_seen: number;
  started_at: number;
  last_match_at: number;
  last_notified_at: number | null;
  rounds: number;
  notified_count: number;
  summary: string;
  root_cause: string;
  suggestion: string;
  sample_message: string | null;
  demo: boolean;
  silenced_by: string | null;
  acked: boolean;
}

const ALERT_COLUMNS = `id::text AS id, rule_id, rule_name, fingerprint, labels, severity, count::float8 AS count,
  ${ms('first_seen')} AS first_seen, ${ms('last_seen')} AS last_seen, ${ms('started_at')} AS started_at,
  ${ms('last_match_at')} AS last_match_at, ${ms('last_notified_at')} AS last_notified_at, rounds,
  notified_count::float8 AS notified_count, summary, root_cause, suggestion, sample_message, demo, silenced_by,
  acked_at IS NOT NULL AS acked`;

/** The firing alerts of these fingerprints. */
export async function firingByFingerprint(q: Queryable, fps: string[]): Promise<EngineAlert[]> {
  if (fps.length === 0) return [];
  const r = await q.query<EngineAlert>(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE state = 'firing' AND fingerprint = ANY($1::text[])`, [fps]);
  return r.rows;
}

/** The firing alerts of one incident (labels.incident), whatever rule raised them. */
export async function firingOfIncident(q: Queryable, incidentId: string): Promise<EngineAlert[]> {
  const r = await q.query<EngineAlert>(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE state = 'firing' AND labels->>'incident' = $1 ORDER BY id`, [incidentId]);
  return r.rows;
}

/** Firing alerts whose next look is due, oldest due first. */
export async function dueAlerts(q: Queryable, now: number, limit: number): Promise<EngineAlert[]> {
  const r = await q.query<EngineAlert>(
    `SELECT ${ALERT_COLUMNS} FROM alerts WHERE state = 'firing' AND due_at <= $1::timestamptz ORDER BY due_at, id LIMIT $2`,
    [iso(now), limit],
  );
  return r.rows;
}

/** Creates a firing alert (due at once, so the same tick schedules its first notification); returns its id. */
export async function insertAlert(q: Queryable, a: Omit<EngineAlert, 'id' | 'last_notified_at' | 'rounds' | 'notified_count' | 'silenced_by' | 'acked'>, sampleLogId: string | null): Promise<string> {
  const r = await q.query<{ id: string }>(
    `INSERT INTO alerts (rule_id, rule_name, fingerprint, labels, state, severity, count, first_seen, last_seen, started_at,
       last_match_at, summary, root_cause, suggestion, sample_message, sample_log_id, demo, due_at)
     VALUES ($1, $2, $3, $4::jsonb, 'firing', $5, $6, $7::timestamptz, $8::timestamptz, $9::timestamptz, $10::timestamptz,
       $11, $12, $13, $14, $15::bigint, $16, $9::timestamptz) RETURNING id::text AS id`,
    [a.rule_id, a.rule_name, a.fingerprint, JSON.stringify(a.labels), a.severity, a.count, iso(a.first_seen), iso(a.last_seen),
      iso(a.started_at), iso(a.last_match_at), a.summary, a.root_cause, a.suggestion, a.sample_message, sampleLogId, a.demo],
  );
  return r.rows[0]!.id;
}

/** Writes new matches into a firing alert; it becomes due so its timing is recomputed this tick. */
export async function updateAlertMatches(q: Queryable, a: EngineAlert, now: number): Promise<void> {
  await q.query(
    `UPDATE alerts SET count = $2, first_seen = $3::timestamptz, last_seen = $4::timestamptz, last_match_at = $5::timestamptz,
       severity = $6, summary = $7, root_cause = $8, suggestion = $9, sample_message = $10, demo = $11, due_at = $5::timestamptz
     WHERE id = $1`,
    [a.id, a.count, iso(a.first_seen), iso(a.last_seen), iso(now), a.severity, a.summary, a.root_cause, a.suggestion, a.sample_message, a.demo],
  );
}

/**
 * Marks a notified alert as carrying news without a higher count (an incident's story arrived): the
 * group interval then sends it, as it would new matches, instead of waiting for the repeat interval.
 */
export async function markNews(q: Queryable, id: string): Promise<void> {
  await q.query('UPDATE alerts SET notified_count = LEAST(notified_count, count - 1) WHERE id = $1 AND rounds > 0', [id]);
}

/** Records the outcome of a look at an alert: notification round, silence, resolution, next due time. */
export async function saveAlertState(
  q: Queryable,
  id: string,
  s: { rounds: number; notifiedCount: number; lastNotifiedAt: number | null; silencedBy: string | null; resolvedAt: number | null; dueAt: number | null },
): Promise<void> {
  await q.query(
    `UPDATE alerts SET rounds = $2, notified_count = $3, last_notified_at = $4::timestamptz, silenced_by = $5,
       state = CASE WHEN $6::timestamptz IS NULL THEN state ELSE 'resolved' END, resolved_at = $6::timestamptz, due_at = $7::timestamptz
     WHERE id = $1`,
    [id, s.rounds, s.notifiedCount, s.lastNotifiedAt === null ? null : iso(s.lastNotifiedAt), s.silencedBy,
      s.resolvedAt === null ? null : iso(s.resolvedAt), s.dueAt === null || !Number.isFinite(s.dueAt) ? null : iso(s.dueAt)],
  );
}

/** Appends one transition to an alert's history. */
export async function addHistory(q: Queryable, alertId: string, at: number, event: string, details: Record<string, unknown> = {}): Promise<void> {
  await q.query('INSERT INTO alert_history (alert_id, at, event, details) VALUES ($1::bigint, $2::timestamptz, $3, $4::jsonb)', [
    alertId, iso(at), event, JSON.stringify(details),
  ]);
}

/** Silences in force at `now`, with when each ends. */
export async function activeSilences(q: Queryable, now: number): Promise<{ id: string; matchers: Matcher[]; ends_at: number }[]> {
  const r = await q.query<{ id: string; matchers: Matcher[]; ends_at: number }>(
    `SELECT id, matchers, ${ms('ends_at')} AS ends_at FROM alert_silences WHERE starts_at <= $1::timestamptz AND ends_at > $1::timestamptz`,
    [iso(now)],
  );
  return r.rows;
}
