import type { Queryable } from '../../db/types.js';
import type { Conditions, Rule, RuleKind } from './schema.js';

/** A rule's stored fields, defaults applied (what insert and update write). */
export interface RuleFields {
  kind: RuleKind;
  name: string;
  description: string;
  enabled: boolean;
  conditions: Conditions;
  threshold: { count: number; window_minutes: number };
  group_by: string[];
  group_wait_seconds: number | null;
  group_interval_seconds: number | null;
  repeat_interval_seconds: number | null;
  resolve_after_minutes: number | null;
  notify_resolved: boolean;
  channel_ids: string[];
}

export const utc = (col: string): string => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const COLUMNS = `id, kind, name, description, enabled, conditions, threshold_count, window_minutes, group_by,
  group_wait_seconds, group_interval_seconds, repeat_interval_seconds, resolve_after_minutes, notify_resolved,
  channel_ids, ${utc('created_at')} AS created_at, ${utc('updated_at')} AS updated_at`;

type RuleRow = Omit<Rule, 'threshold'> & { threshold_count: number; window_minutes: number };

const toRule = ({ threshold_count, window_minutes, ...r }: RuleRow): Rule => ({ ...r, threshold: { count: threshold_count, window_minutes } });

const values = (f: RuleFields): unknown[] => [
  f.name, f.description, f.enabled, JSON.stringify(f.conditions), f.threshold.count, f.threshold.window_minutes, f.group_by,
  f.group_wait_seconds, f.group_interval_seconds, f.repeat_interval_seconds, f.resolve_after_minutes, f.notify_resolved, f.channel_ids,
  f.kind,
];

/** Stores a new rule and returns it. */
export async function insertRule(q: Queryable, f: RuleFields): Promise<Rule> {
  const r = await q.query<RuleRow>(
    `INSERT INTO alert_rules (name, description, enabled, conditions, threshold_count, window_minutes, group_by,
       group_wait_seconds, group_interval_seconds, repeat_interval_seconds, resolve_after_minutes, notify_resolved, channel_ids, kind)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7::text[], $8, $9, $10, $11, $12, $13::text[], $14) RETURNING ${COLUMNS}`,
    values(f),
  );
  return toRule(r.rows[0]!);
}

/** Replaces a rule's fields; undefined when there is no such rule. */
export async function updateRule(q: Queryable, id: string, f: RuleFields, now: string): Promise<Rule | undefined> {
  const r = await q.query<RuleRow>(
    `UPDATE alert_rules SET name = $1, description = $2, enabled = $3, conditions = $4::jsonb, threshold_count = $5,
       window_minutes = $6, group_by = $7::text[], group_wait_seconds = $8, group_interval_seconds = $9,
       repeat_interval_seconds = $10, resolve_after_minutes = $11, notify_resolved = $12, channel_ids = $13::text[],
       kind = $14, updated_at = $16::timestamptz
     WHERE id = $15 RETURNING ${COLUMNS}`,
    [...values(f), id, now],
  );
  // Counting restarts under new conditions: old partial counts would mix two definitions.
  if (r.rows[0]) await q.query('DELETE FROM alert_pending WHERE rule_id = $1', [id]);
  return r.rows[0] ? toRule(r.rows[0]) : undefined;
}

/** One rule, or undefined. */
export async function findRule(q: Queryable, id: string): Promise<Rule | undefined> {
  const r = await q.query<RuleRow>(`SELECT ${COLUMNS} FROM alert_rules WHERE id = $1`, [id]);
  return r.rows[0] ? toRule(r.rows[0]) : undefined;
}

/** Every rule (optionally enabled ones only, optionally of one kind), by name. */
export async function listRules(q: Queryable, enabledOnly = false, kind?: RuleKind): Promise<Rule[]> {
  const where = [...(enabledOnly ? ['enabled'] : []), ...(kind ? ['kind = $1'] : [])];
  const r = await q.query<RuleRow>(
    `SELECT ${COLUMNS} FROM alert_rules ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY name, id`,
    kind ? [kind] : [],
  );
  return r.rows.map(toRule);
}

/**
 * Deletes a rule. Its firing alerts are resolved first (without notification: nobody will follow
 * them up any more) and keep their history; returns false when there is no such rule.
 */
export async function deleteRule(q: Queryable, id: string, now: string): Promise<boolean> {
  const resolved = await q.query<{ id: string }>(
    `UPDATE alerts SET state = 'resolved', resolved_at = $2::timestamptz, due_at = NULL
      WHERE rule_id = $1 AND state = 'firing' RETURNING id::text AS id`,
    [id, now],
  );
  if (resolved.rows.length > 0) {
    await q.query(
      `INSERT INTO alert_history (alert_id, at, event, details)
       SELECT unnest($1::bigint[]), $2::timestamptz, 'resolved', '{"reason":"rule deleted"}'::jsonb`,
      [resolved.rows.map((r) => r.id), now],
    );
  }
  const r = await q.query('DELETE FROM alert_rules WHERE id = $1', [id]);
  return r.rowCount > 0;
}
