import type { Queryable } from '../../db/types.js';
import { utc } from './repo-rules.js';
import type { Matcher, Silence } from './schema.js';

/** An alert as the API shows it. */
export interface AlertView {
  id: string;
  rule_id: string | null;
  rule_name: string;
  fingerprint: string;
  labels: Record<string, string>;
  state: 'firing' | 'resolved';
  severity: string;
  count: number;
  first_seen: string;
  last_seen: string;
  started_at: string;
  last_match_at: string;
  resolved_at: string | null;
  summary: string;
  root_cause: string;
  suggestion: string;
  sample_message: string | null;
  sample_log_id: string | null;
  demo: boolean;
  notifications: number;
  last_notified_at: string | null;
  silenced_by: string | null;
  acked_at: string | null;
  acked_by: string | null;
}

export interface AlertFilter {
  state?: 'firing' | 'resolved';
  ruleId?: string;
  service?: string;
  severity?: string;
  from?: string;
  to?: string;
  beforeId?: string;
  limit: number;
}

const COLUMNS = `id::text AS id, rule_id, rule_name, fingerprint, labels, state, severity, count::float8 AS count,
  ${utc('first_seen')} AS first_seen, ${utc('last_seen')} AS last_seen, ${utc('started_at')} AS started_at,
  ${utc('last_match_at')} AS last_match_at, ${utc('resolved_at')} AS resolved_at, summary, root_cause, suggestion,
  sample_message, sample_log_id::text AS sample_log_id, demo, rounds AS notifications,
  ${utc('last_notified_at')} AS last_notified_at, silenced_by, ${utc('acked_at')} AS acked_at, acked_by`;

/** Alerts newest first, filtered; `beforeId` pages on. */
export async function listAlerts(q: Queryable, f: AlertFilter): Promise<AlertView[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (n: number) => string, v: unknown): void => {
    if (v === undefined) return;
    params.push(v);
    where.push(sql(params.length));
  };
  add((n) => `state = $${n}`, f.state);
  add((n) => `rule_id = $${n}`, f.ruleId);
  add((n) => `labels->>'service' = $${n}`, f.service);
  add((n) => `severity = $${n}`, f.severity);
  // An alert belongs to a range when it was firing at some moment of it.
  add((n) => `coalesce(resolved_at, 'infinity'::timestamptz) >= $${n}::timestamptz`, f.from);
  add((n) => `started_at < $${n}::timestamptz`, f.to);
  add((n) => `id < $${n}::bigint`, f.beforeId);
  params.push(f.limit);
  const r = await q.query<AlertView>(
    `SELECT ${COLUMNS} FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
    params,
  );
  return r.rows;
}

/** One alert, or undefined. */
export async function findAlert(q: Queryable, id: string): Promise<AlertView | undefined> {
  const r = await q.query<AlertView>(`SELECT ${COLUMNS} FROM alerts WHERE id = $1::bigint`, [id]);
  return r.rows[0];
}

export interface HistoryEntry {
  at: string;
  event: string;
  details: Record<string, unknown>;
}

/** An alert's transitions, oldest first. */
export async function alertHistory(q: Queryable, id: string): Promise<HistoryEntry[]> {
  const r = await q.query<HistoryEntry>(`SELECT ${utc('at')} AS at, event, details FROM alert_history WHERE alert_id = $1::bigint ORDER BY id`, [id]);
  return r.rows;
}

/** Acknowledges an alert (once: a second ack keeps the first); false when there is no such alert. */
export async function ackAlert(q: Queryable, id: string, by: string, now: string): Promise<boolean> {
  const r = await q.query<{ fresh: boolean }>(
    `UPDATE alerts SET acked_at = coalesce(acked_at, $2::timestamptz), acked_by = coalesce(acked_by, $3)
      WHERE id = $1::bigint RETURNING acked_at = $2::timestamptz AS fresh`,
    [id, now, by],
  );
  if (r.rows[0]?.fresh) {
    await q.query(`INSERT INTO alert_history (alert_id, at, event, details) VALUES ($1::bigint, $2::timestamptz, 'acked', $3::jsonb)`, [
      id, now, JSON.stringify({ by }),
    ]);
  }
  return r.rows.length > 0;
}

const SILENCE_COLUMNS = `id, matchers, ${utc('starts_at')} AS starts_at, ${utc('ends_at')} AS ends_at, comment, created_by,
  ${utc('created_at')} AS created_at, alert_id::text AS alert_id,
  CASE WHEN ends_at <= $1::timestamptz THEN 'expired' WHEN starts_at > $1::timestamptz THEN 'pending' ELSE 'active' END AS state`;

/** Stores a silence. */
export async function insertSilence(
  q: Queryable,
  s: { matchers: Matcher[]; startsAt: string; endsAt: string; comment: string; createdBy: string; alertId: string | null },
  now: string,
): Promise<Silence> {
  const r = await q.query<Silence>(
    `INSERT INTO alert_silences (matchers, starts_at, ends_at, comment, created_by, alert_id, created_at)
     VALUES ($2::jsonb, $3::timestamptz, $4::timestamptz, $5, $6, $7::bigint, $1::timestamptz) RETURNING ${SILENCE_COLUMNS}`,
    [now, JSON.stringify(s.matchers), s.startsAt, s.endsAt, s.comment, s.createdBy, s.alertId],
  );
  return r.rows[0]!;
}

/** Silences, newest first; expired ones only when asked. */
export async function listSilences(q: Queryable, now: string, includeExpired: boolean, limit: number): Promise<Silence[]> {
  const r = await q.query<Silence>(
    `SELECT ${SILENCE_COLUMNS} FROM alert_silences ${includeExpired ? '' : 'WHERE ends_at > $1::timestamptz'}
      ORDER BY created_at DESC, id LIMIT $2`,
    [now, limit],
  );
  return r.rows;
}

/**
 * Ends a silence now. The alerts it muted become due at once, so a still-firing alert is
 * notified without waiting for its next scheduled look. Undefined when there is no such silence.
 */
export async function expireSilence(q: Queryable, id: string, now: string): Promise<Silence | undefined> {
  const r = await q.query<Silence>(
    `UPDATE alert_silences SET ends_at = LEAST(ends_at, $1::timestamptz) WHERE id = $2 RETURNING ${SILENCE_COLUMNS}`,
    [now, id],
  );
  if (r.rows[0]) await q.query(`UPDATE alerts SET due_at = $1::timestamptz WHERE state = 'firing' AND silenced_by = $2`, [now, id]);
  return r.rows[0];
}

/** Makes every firing alert due now (a new silence is then applied before any further notification). */
export async function markFiringDue(q: Queryable, now: string): Promise<void> {
  await q.query(`UPDATE alerts SET due_at = $1::timestamptz WHERE state = 'firing' AND due_at > $1::timestamptz`, [now]);
}
