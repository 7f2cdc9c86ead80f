import type { Queryable } from '../../db/types.js';

// SQL of LLM usage: per model and per service per UTC day, and the days a budget was reached.
// The day is always passed in (the caller's clock), so usage, budget checks and reads agree on it.

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  reasoningTokens: number;
}

/** One service's share of a batch: entries sent and the tokens attributed to them. */
export interface ServiceShare extends TokenUsage {
  service: string;
  entries: number;
}

/** Adds one batch's usage: the model's totals and each service's share, on `day` (YYYY-MM-DD). */
export async function addUsage(q: Queryable, day: string, model: string, calls: number, u: TokenUsage, shares: ServiceShare[]): Promise<void> {
  await q.query(
    `INSERT INTO llm_usage_daily (day, model, calls, prompt_tokens, completion_tokens, reasoning_tokens)
     VALUES ($1::date, $2, $3, $4, $5, $6)
     ON CONFLICT (day, model) DO UPDATE SET calls = llm_usage_daily.calls + EXCLUDED.calls,
       prompt_tokens = llm_usage_daily.prompt_tokens + EXCLUDED.prompt_tokens,
       completion_tokens = llm_usage_daily.completion_tokens + EXCLUDED.completion_tokens,
       reasoning_tokens = llm_usage_daily.reasoning_tokens + EXCLUDED.reasoning_tokens`,
    [day, model, calls, u.promptTokens, u.completionTokens, u.reasoningTokens],
  );
  if (shares.length === 0) return;
  // Services in one order: concurrent batches lock the rows they share in the same order.
  const sorted = [...shares].sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : 0));
  await q.query(
    `INSERT INTO llm_usage_service_daily (day, service, model, entries, prompt_tokens, completion_tokens, reasoning_tokens)
     SELECT $1::date, s, $2, e, p, c, r FROM unnest($3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[]) AS x(s, e, p, c, r)
     ON CONFLICT (day, service, model) DO UPDATE SET entries = llm_usage_service_daily.entries + EXCLUDED.entries,
       prompt_tokens = llm_usage_service_daily.prompt_tokens + EXCLUDED.prompt_tokens,
       completion_tokens = llm_usage_service_daily.completion_tokens + EXCLUDED.completion_tokens,
       reasoning_tokens = llm_usage_service_daily.reasoning_tokens + EXCLUDED.reasoning_tokens`,
    [day, model, sorted.map((s) => s.service), sorted.map((s) => s.entries), sorted.map((s) => s.promptTokens),
      sorted.map((s) => s.completionTokens), sorted.map((s) => s.reasoningTokens)],
  );
}

export interface ModelDay {
  day: string;
  model: string;
  calls: number;
  prompt_tokens: number;
  completion_tokens: number;
  reasoning_tokens: number;
}

export interface ServiceDay {
  day: string;
  service: string;
  model: string;
  entries: number;
  prompt_tokens: number;
  completion_tokens: number;
  reasoning_tokens: number;
}

const num = (row: Record<string, string | null>, k: string): number => Number(row[k] ?? 0);

/** Per-model usage rows of the days in [from, to] (YYYY-MM-DD). */
export async function modelUsage(q: Queryable, from: string, to: string): Promise<ModelDay[]> {
  const r = await q.query<Record<string, string | null>>(
    `SELECT day::text AS day, model, calls::text AS calls, prompt_tokens::text AS prompt_tokens,
            completion_tokens::text AS completion_tokens, reasoning_tokens::text AS reasoning_tokens
       FROM llm_usage_daily WHERE day BETWEEN $1::date AND $2::date ORDER BY day, model`,
    [from, to],
  );
  return r.rows.map((row) => ({
    day: row.day ?? '', model: row.model ?? '', calls: num(row, 'calls'), prompt_tokens: num(row, 'prompt_tokens'),
    completion_tokens: num(row, 'completion_tokens'), reasoning_tokens: num(row, 'reasoning_tokens'),
  }));
}

/** Per-service usage rows (by model) of the days in [from, to]. */
export async function serviceUsage(q: Queryable, from: string, to: string): Promise<ServiceDay[]> {
  const r = await q.query<Record<string, string | null>>(
    `SELECT day::text AS day, service, model, entries::text AS entries, prompt_tokens::text AS prompt_tokens,
            completion_tokens::text AS completion_tokens, reasoning_tokens::text AS reasoning_tokens
       FROM llm_usage_service_daily WHERE day BETWEEN $1::date AND $2::date ORDER BY day, service, model`,
    [from, to],
  );
  return r.rows.map((row) => ({
    day: row.day ?? '', service: row.service ?? '', model: row.model ?? '', entries: num(row, 'entries'),
    prompt_tokens: num(row, 'prompt_tokens'), completion_tokens: num(row, 'completion_tokens'), reasoning_tokens: num(row, 'reasoning_tokens'),
  }));
}

/** Records that a budget was reached on `day`; true only for the first caller of that day. */
export async function markBudgetReached(q: Queryable, day: string, kind: 'tokens' | 'cost'): Promise<boolean> {
  const r = await q.query(`INSERT INTO llm_budget_days (day, kind) VALUES ($1::date, $2) ON CONFLICT (day) DO NOTHING`, [day, kind]);
  return r.rowCount > 0;
}

/** Stores how many channels the day's notification was queued for. */
export async function noteBudgetNotified(q: Queryable, day: string, channels: number): Promise<void> {
  await q.query(`UPDATE llm_budget_days SET notified_channels = $2 WHERE day = $1::date`, [day, channels]);
}
