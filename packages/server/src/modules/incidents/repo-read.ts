import { utcText } from '../../db/sql.js';
import type { Queryable } from '../../db/types.js';
import type { IncidentHistoryEntry, IncidentSignal, IncidentSummary } from './schema.js';

// SQL of the incidents API: the list (newest updated first, a keyset cursor on (updated_at, id)),
// one incident with its signals and history, and the open count of the status line.

const iso = (col: string): string => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const ms = (col: string): string => `(extract(epoch FROM ${col}) * 1000)::float8`;

const SUMMARY = `id, state, severity, title, services, template_ids, signal_count, ${iso('opened_at')} AS opened_at,
  ${iso('updated_at')} AS updated_at, ${iso('last_signal_at')} AS last_signal_at, ${iso('resolved_at')} AS resolved_at, story_state`;

/** Where a page ends: the last row's update time (full precision) and id. */
export interface ListCursor {
  at: string;
  id: string;
}

export interface ListFilter {
  state: 'open' | 'resolved' | 'all';
  service?: string | undefined;
  before?: ListCursor | undefined;
  limit: number;
}

/** Incidents newest updated first; one row past `limit` is read so the caller knows a next page exists. */
export async function listIncidents(q: Queryable, f: ListFilter): Promise<(IncidentSummary & { cursor_at: string })[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (n: number) => string, v: unknown): void => {
    params.push(v);
    where.push(sql(params.length));
  };
  if (f.state !== 'all') add((n) => `state = $${n}`, f.state);
  // Containment, not = ANY: the GIN index on services serves it.
  if (f.service !== undefined) add((n) => `services @> ARRAY[$${n}]::text[]`, f.service);
  if (f.before) {
    params.push(f.before.at, f.before.id);
    where.push(`(updated_at, id) < ($${params.length - 1}::timestamptz, $${params.length})`);
  }
  params.push(f.limit + 1);
  const r = await q.query<IncidentSummary & { cursor_at: string }>(
    `SELECT ${SUMMARY}, ${utcText('updated_at')} AS cursor_at FROM incidents
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY updated_at DESC, id DESC LIMIT $${params.length}`,
    params,
  );
  return r.rows;
}

/** One incident as stored, with its story columns and its times in ms; undefined when unknown. */
export interface IncidentRow extends IncidentSummary {
  story: Record<string, unknown> | null;
  story_model: string | null;
  story_at: string | null;
  opened_ms: number;
  resolved_ms: number | null;
}

/** One incident, or undefined. */
export async function findIncident(q: Queryable, id: string): Promise<IncidentRow | undefined> {
  const r = await q.query<IncidentRow>(
    `SELECT ${SUMMARY}, story, story_model, ${iso('story_at')} AS story_at, ${ms('opened_at')} AS opened_ms, ${ms('resolved_at')} AS resolved_ms
       FROM incidents WHERE id = $1`,
    [id],
  );
  const row = r.rows[0];
  return row && { ...row, opened_ms: Number(row.opened_ms), resolved_ms: row.resolved_ms === null ? null : Number(row.resolved_ms) };
}

/** An incident's signals in the order they started. */
export async function incidentSignals(q: Queryable, id: string): Promise<IncidentSignal[]> {
  const r = await q.query<IncidentSignal>(
    `SELECT id, kind, service, template_id, template, severity, ${iso('started_at')} AS started_at, ${iso('last_at')} AS last_at,
            ${iso('ended_at')} AS ended_at, observed, expected, baseline
       FROM incident_signals WHERE incident_id = $1 ORDER BY started_at, id`,
    [id],
  );
  return r.rows.map((s) => ({ ...s, observed: Number(s.observed), expected: Number(s.expected) }));
}

/** An incident's history, oldest first. */
export async function incidentHistory(q: Queryable, id: string): Promise<IncidentHistoryEntry[]> {
  const r = await q.query<IncidentHistoryEntry>(
    `SELECT ${iso('at')} AS at, event, detail FROM incident_history WHERE incident_id = $1 ORDER BY at, id`,
    [id],
  );
  return r.rows;
}

/** How many incidents are open (the partial index on open incidents answers it). */
export async function countOpenIncidents(q: Queryable): Promise<number> {
  const r = await q.query<{ n: number }>("SELECT count(*)::int AS n FROM incidents WHERE state = 'open'");
  return Number(r.rows[0]?.n ?? 0);
}
