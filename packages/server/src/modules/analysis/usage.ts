import type { Queryable } from '../../db/types.js';
import { utcDay } from './budget.js';
import { addCost, costOf, listPrices, type PriceTable } from './prices.js';
import { modelUsage, serviceUsage, type ModelDay } from './repo-usage.js';

// GET /api/v1/analysis/usage: calls, tokens and cost per UTC day, per model and per service.

interface Tokens {
  prompt_tokens: number;
  completion_tokens: number;
  reasoning_tokens: number;
}

export interface ServiceUsage extends Tokens {
  service: string;
  /** Entries of this service sent to the LLM (its share of each batch's tokens follows this count). */
  entries: number;
  /** Per currency; models without a price add nothing here and their tokens to `unpriced_tokens`. */
  cost: Record<string, number>;
  unpriced_tokens: number;
}

export interface ModelUsage extends Tokens {
  model: string;
  calls: number;
  /** null: the price table has no price for this model (unknown, not free). */
  cost: number | null;
  currency: string | null;
}

export interface UsageDay extends Tokens {
  day: string;
  calls: number;
  models: string[];
  cost: Record<string, number>;
  unpriced_tokens: number;
  by_model: ModelUsage[];
  by_service: ServiceUsage[];
}

const zero = (): Tokens => ({ prompt_tokens: 0, completion_tokens: 0, reasoning_tokens: 0 });
const addTokens = (into: Tokens, r: Tokens): void => {
  into.prompt_tokens += r.prompt_tokens;
  into.completion_tokens += r.completion_tokens;
  into.reasoning_tokens += r.reasoning_tokens;
};

function byModel(prices: PriceTable, r: ModelDay): ModelUsage {
  const c = costOf(prices, r.model, r.prompt_tokens, r.completion_tokens);
  return { ...r, cost: c ? Math.round(c.amount * 1e6) / 1e6 : null, currency: c?.currency ?? null };
}

/** Usage of the last `days` UTC days up to the day of `nowMs`, oldest first, every day present. */
export async function usageReport(q: Queryable, prices: PriceTable, days: number, nowMs: number) {
  const to = utcDay(nowMs);
  const from = utcDay(nowMs - (days - 1) * 86_400_000);
  const [models, services] = await Promise.all([modelUsage(q, from, to), serviceUsage(q, from, to)]);
  const out: UsageDay[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const day = utcDay(nowMs - i * 86_400_000);
    const m = models.filter((r) => r.day === day);
    const d: UsageDay = { day, calls: 0, ...zero(), models: m.map((r) => r.model), cost: {}, unpriced_tokens: 0, by_model: m.map((r) => byModel(prices, r)), by_service: [] };
    for (const r of m) {
      d.calls += r.calls;
      addTokens(d, r);
      addCost(d.cost, costOf(prices, r.model, r.prompt_tokens, r.completion_tokens));
      if (!prices.has(r.model)) d.unpriced_tokens += r.prompt_tokens + r.completion_tokens;
    }
    const perService = new Map<string, ServiceUsage>();
    for (const r of services.filter((x) => x.day === day)) {
      const s = perService.get(r.service) ?? { service: r.service, entries: 0, ...zero(), cost: {}, unpriced_tokens: 0 };
      s.entries += r.entries;
      addTokens(s, r);
      addCost(s.cost, costOf(prices, r.model, r.prompt_tokens, r.completion_tokens));
      if (!prices.has(r.model)) s.unpriced_tokens += r.prompt_tokens + r.completion_tokens;
      perService.set(r.service, s);
    }
    d.by_service = [...perService.values()].sort((a, b) => b.prompt_tokens + b.completion_tokens - (a.prompt_tokens + a.completion_tokens) || a.service.localeCompare(b.service));
    out.push(d);
  }
  return { days: out, prices: listPrices(prices) };
}
