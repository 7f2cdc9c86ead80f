import { utcText } from '../../db/sql.js';
import type { Queryable } from '../../db/types.js';

// SQL of the analysis read API: templates, backlog, parked work, usage.

export interface TemplateRow {
  id: string;
  template: string;
  sample: string;
  count: string;
  first_seen: string;
  last_seen: string;
  parameter_dependent: boolean;
  verdict_state: string | null;
  verdict: Record<string, unknown> | null;
  analysed_at: string | null;
  expires_at: string | null;
  model: string | null;
  demo: boolean | null;
}

const TEMPLATE_COLUMNS = `t.id, t.template, t.sample, t.count::text, ${utcText('t.first_seen')} AS first_seen, ${utcText('t.last_seen')} AS last_seen,
  t.parameter_dependent, v.state AS verdict_state, v.result AS verdict, ${utcText('v.analysed_at')} AS analysed_at,
  ${utcText('v.expires_at')} AS expires_at, v.model, v.demo`;

/**
 * Templates by count or recency, each with its template-wide verdict when there is one. `services`
 * keeps the templates that lines of those services got (within retention, from template_counts_hour).
 */
export async function listTemplates(
  q: Queryable,
  o: { order: 'count' | 'last_seen'; limit: number; offset: number; q?: string | undefined; services?: string[] },
): Promise<{ rows: TemplateRow[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (o.q) {
    params.push(o.q.replace(/[\\%_]/g, (c) => `\\${c}`));
    where.push(`t.template ILIKE '%' || $${params.length} || '%'`);
  }
  if (o.services && o.services.length > 0) {
    params.push(o.services);
    where.push(`t.id IN (SELECT template_id FROM template_counts_hour WHERE service = ANY($${params.length}::text[]))`);
  }
  const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const r = await q.query<TemplateRow>(
    `SELECT ${TEMPLATE_COLUMNS} FROM log_templates t LEFT JOIN verdicts v ON v.key = t.id ${filter}
      ORDER BY ${o.order === 'count' ? 't.count DESC' : 't.last_seen DESC'}, t.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, o.limit, o.offset],
  );
  const total = await q.query<{ n: string }>(`SELECT count(*)::text AS n FROM log_templates t ${filter}`, params);
  return { rows: r.rows, total: Number(total.rows[0]?.n ?? 0) };
}

/** One template with its template-wide verdict, or undefined. */
export async function findTemplate(q: Queryable, id: string): Promise<TemplateRow | undefined> {
  const r = await q.query<TemplateRow>(`SELECT ${TEMPLATE_COLUMNS} FROM log_templates t LEFT JOIN verdicts v ON v.key = t.id WHERE t.id = $1`, [id]);
  return r.rows[0];
}

export interface Backlog {
  pending_logs: number;
  unassigned_logs: number;
  open: number;
  scheduled: number;
  parked: number;
  done: number;
  oldest_pending_at: string | null;
}

/** How much analysis is owed, by stage. */
export async function backlog(q: Queryable): Promise<Backlog> {
  const p = await q.query<{ pending: string; unassigned: string; oldest: string | null }>(
    `SELECT count(*)::text AS pending, count(*) FILTER (WHERE verdict_key IS NULL)::text AS unassigned, ${utcText('min(enqueued_at)')} AS oldest
       FROM analysis_pending`,
  );
  const v = await q.query<{ state: string; n: string }>(`SELECT state, count(*)::text AS n FROM verdicts GROUP BY state`);
  const by = Object.fromEntries(v.rows.map((x) => [x.state, Number(x.n)]));
  return {
    pending_logs: Number(p.rows[0]?.pending ?? 0),
    unassigned_logs: Number(p.rows[0]?.unassigned ?? 0),
    open: by.open ?? 0,
    scheduled: by.scheduled ?? 0,
    parked: by.parked ?? 0,
    done: by.done ?? 0,
    oldest_pending_at: p.rows[0]?.oldest ?? null,
  };
}

export interface ParkedRow {
  key: string;
  template_id: string;
  template: string | null;
  attempts: number;
  last_error: string | null;
  waiting_logs: string;
  requested_at: string;
}

/** Parked verdicts with their reason and how many logs wait on them. */
export async function listParked(q: Queryable, limit: number): Promise<ParkedRow[]> {
  const r = await q.query<ParkedRow>(
    `SELECT v.key, v.template_id, t.template, v.attempts, v.last_error, ${utcText('v.requested_at')} AS requested_at,
            (SELECT count(*) FROM analysis_pending p WHERE p.verdict_key = v.key)::text AS waiting_logs
       FROM verdicts v LEFT JOIN log_templates t ON t.id = v.template_id
      WHERE v.state = 'parked' ORDER BY v.requested_at LIMIT $1`,
    [limit],
  );
  return r.rows;
}

/** Reopens parked verdicts (all, or the given keys) with fresh attempts. */
export async function redrive(q: Queryable, keys: string[] | undefined): Promise<number> {
  const r = await q.query(
    `UPDATE verdicts SET state = 'open', attempts = 0, requested_at = now() - interval '1 hour'
      WHERE state = 'parked' AND ($1::text[] IS NULL OR key = ANY($1::text[]))`,
    [keys ?? null],
  );
  return r.rowCount;
}

/** Today's LLM usage (UTC day), summed over models. */
export async function usageToday(q: Queryable): Promise<{ calls: number; prompt_tokens: number; completion_tokens: number; reasoning_tokens: number }> {
  const r = await q.query<Record<string, string | null>>(
    `SELECT sum(calls)::text AS calls, sum(prompt_tokens)::text AS prompt_tokens, sum(completion_tokens)::text AS completion_tokens,
            sum(reasoning_tokens)::text AS reasoning_tokens
       FROM llm_usage_daily WHERE day = (now() AT TIME ZONE 'UTC')::date`,
  );
  const row = r.rows[0] ?? {};
  const n = (k: string): number => Number(row[k] ?? 0);
  return { calls: n('calls'), prompt_tokens: n('prompt_tokens'), completion_tokens: n('completion_tokens'), reasoning_tokens: n('reasoning_tokens') };
}
