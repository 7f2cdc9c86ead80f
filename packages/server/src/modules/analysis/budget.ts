import type { Db, Queryable } from '../../db/types.js';
import type { Config } from '../../config/index.js';
import { enqueueNotifications } from '../notify/index.js';
import { addCost, costOf, priceTable, type PriceTable } from './prices.js';
import { markBudgetReached, modelUsage, noteBudgetNotified } from './repo-usage.js';

// Daily LLM budgets (tokens and cost, per UTC day). Before a batch goes to the LLM the worker asks
// whether today's usage reached a budget; if so the batch waits (no attempt used, its logs stay
// pending) and the first worker to notice sends the admin notification once for the day.

export interface BudgetSettings {
  prices: PriceTable;
  /** Prompt plus completion tokens per day; 0: no limit. */
  tokens: number;
  cost: { amount: number; currency: string } | undefined;
  notifyChannels: string[];
  language: 'zh-CN' | 'en';
}

type BudgetConfig = Pick<Config, 'LLM_PRICES' | 'LLM_DAILY_TOKEN_BUDGET' | 'LLM_DAILY_COST_BUDGET' | 'LLM_BUDGET_NOTIFY_CHANNELS' | 'ANALYSIS_LANGUAGE' | 'LLM_BASE_URL' | 'LLM_MODEL' | 'SILICONFLOW_MODEL'>;

/** Budget settings from the configuration; a cost budget without currency takes the configured model's. */
export function budgetSettings(cfg: BudgetConfig): BudgetSettings {
  const prices = priceTable(cfg.LLM_PRICES);
  const model = cfg.LLM_BASE_URL ? cfg.LLM_MODEL : cfg.SILICONFLOW_MODEL;
  const c = cfg.LLM_DAILY_COST_BUDGET;
  return {
    prices,
    tokens: cfg.LLM_DAILY_TOKEN_BUDGET,
    cost: c ? { amount: c.amount, currency: c.currency ?? prices.get(model ?? '')?.currency ?? 'USD' } : undefined,
    notifyChannels: cfg.LLM_BUDGET_NOTIFY_CHANNELS,
    language: cfg.ANALYSIS_LANGUAGE,
  };
}

/** The UTC day of a clock reading, YYYY-MM-DD. */
export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Milliseconds from `ms` to the next UTC midnight. */
export const untilNextDay = (ms: number): number => Date.parse(`${utcDay(ms)}T00:00:00Z`) + 86_400_000 - ms;

export interface BudgetState {
  day: string;
  tokens: { used: number; limit: number | null; remaining: number | null };
  cost: { used: Record<string, number>; unpriced_models: string[]; limit: number | null; currency: string | null; remaining: number | null };
  /** Which budget is reached, or null. */
  reached: 'tokens' | 'cost' | null;
  /** When analysis resumes by itself (next UTC midnight) while a budget is reached. */
  resumes_at: string | null;
}

/** Today's usage against the budgets. */
export async function budgetState(q: Queryable, s: BudgetSettings, nowMs: number): Promise<BudgetState> {
  const day = utcDay(nowMs);
  const rows = await modelUsage(q, day, day);
  const used = rows.reduce((n, r) => n + r.prompt_tokens + r.completion_tokens, 0);
  const cost: Record<string, number> = {};
  for (const r of rows) addCost(cost, costOf(s.prices, r.model, r.prompt_tokens, r.completion_tokens));
  const unpriced = rows.filter((r) => !s.prices.has(r.model)).map((r) => r.model);
  const spent = s.cost ? (cost[s.cost.currency] ?? 0) : 0;
  const reached = s.tokens > 0 && used >= s.tokens ? 'tokens' : s.cost && spent >= s.cost.amount ? 'cost' : null;
  return {
    day,
    tokens: { used, limit: s.tokens > 0 ? s.tokens : null, remaining: s.tokens > 0 ? Math.max(0, s.tokens - used) : null },
    cost: {
      used: cost, unpriced_models: unpriced, limit: s.cost?.amount ?? null, currency: s.cost?.currency ?? null,
      remaining: s.cost ? Math.max(0, Math.round((s.cost.amount - spent) * 1e6) / 1e6) : null,
    },
    reached,
    resumes_at: reached ? new Date(nowMs + untilNextDay(nowMs)).toISOString() : null,
  };
}

/** Why analysis waits on the budget, in words (status and the verdicts' last error). */
export function budgetReason(st: BudgetState): string {
  const what = st.reached === 'tokens'
    ? `the daily LLM token budget is reached (${st.tokens.used} of ${st.tokens.limit ?? 0} tokens)`
    : `the daily LLM cost budget is reached (${st.cost.used[st.cost.currency ?? ''] ?? 0} of ${st.cost.limit ?? 0} ${st.cost.currency ?? ''})`;
  return `budget: ${what}; template verdicts still apply, the rest waits until ${st.resumes_at ?? 'the next UTC day'} or a raised budget`;
}

export interface BudgetGate {
  /** Today's state; when a budget is reached, the day's admin notification is sent (once). */
  check(): Promise<BudgetState>;
  state(): Promise<BudgetState>;
}

/** The budget as the worker and the API use it, on one clock. */
export function createBudgetGate(o: { db: Db; settings: BudgetSettings; now: () => number; log: { warn: (o: object, m: string) => void } }): BudgetGate {
  const state = (): Promise<BudgetState> => budgetState(o.db, o.settings, o.now());
  return {
    state,
    async check() {
      const st = await state();
      if (st.reached) await notifyOnce(o, st);
      return st;
    },
  };
}

/** Why scheduling waits on the budget ('' when it does not), checked at most every `ttlMs`. */
export function budgetWaiter(gate: BudgetGate, ttlMs: number): () => Promise<string> {
  let last = { at: 0, reason: '' };
  return async () => {
    if (Date.now() - last.at < ttlMs) return last.reason;
    const st = await gate.check();
    last = { at: Date.now(), reason: st.reached ? budgetReason(st) : '' };
    return last.reason;
  };
}

async function notifyOnce(o: { db: Db; settings: BudgetSettings; now: () => number; log: { warn: (o: object, m: string) => void } }, st: BudgetState): Promise<void> {
  const reason = budgetReason(st);
  // The day's row and the outbox rows commit together: a crash in between sends nothing twice. The
  // rows are due by the wall clock, the delivery worker's, whatever clock dates the budget.
  const channels = await o.db.transaction(async (tx) => {
    if (!(await markBudgetReached(tx, st.day, st.reached ?? 'tokens'))) return -1;
    const n = await enqueueNotifications(tx, o.settings.notifyChannels, budgetNotification(st, o.settings.language, reason, o.now()));
    await noteBudgetNotified(tx, st.day, n);
    return n;
  });
  if (channels >= 0) o.log.warn({ day: st.day, budget: st.reached, channels }, reason);
}

function budgetNotification(st: BudgetState, lang: 'zh-CN' | 'en', reason: string, nowMs: number): Parameters<typeof enqueueNotifications>[2] {
  const zh = lang === 'zh-CN';
  const at = new Date(nowMs).toISOString();
  return {
    idempotencyKey: `llm-budget:${st.day}`,
    status: 'firing',
    alertId: `llm-budget-${st.day}`,
    rule: { id: 'llm-budget', name: zh ? 'LLM 每日预算已用完' : 'LLM daily budget reached' },
    severity: 'high',
    labels: { kind: 'budget', budget: st.reached ?? '' },
    count: 1,
    firstSeen: at,
    lastSeen: at,
    summary: reason,
    rootCause: zh ? '今天的 LLM 用量已达到 LLM_DAILY_TOKEN_BUDGET 或 LLM_DAILY_COST_BUDGET。' : 'Today\'s LLM usage reached LLM_DAILY_TOKEN_BUDGET or LLM_DAILY_COST_BUDGET.',
    suggestion: zh
      ? '模板已有结论的日志照常得到分析，其余日志保持待分析，次日（UTC）或提高预算后自动继续，不会丢失。'
      : 'Logs whose template has a verdict still get it; the others stay pending and are analysed from the next UTC day or as soon as the budget is raised. Nothing is lost.',
    demo: false,
    // No alert page exists for it: the link opens the budget and cost on Settings → LLM.
    path: '/settings/llm',
  };
}

/**
 * A batch's tokens shared among its entries' services in proportion to their number of entries;
 * whole tokens, remainders to the largest fractions, so the shares add up to the batch exactly.
 */
export function shareByService(services: string[], u: { promptTokens: number; completionTokens: number; reasoningTokens: number }) {
  const counts = new Map<string, number>();
  for (const s of services) counts.set(s, (counts.get(s) ?? 0) + 1);
  const names = [...counts.keys()].sort();
  const total = services.length;
  const split = (amount: number): number[] => {
    const exact = names.map((n) => (amount * (counts.get(n) ?? 0)) / total);
    const out = exact.map(Math.floor);
    let left = amount - out.reduce((a, b) => a + b, 0);
    const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    for (const [, i] of order) {
      if (left <= 0) break;
      out[i] = (out[i] ?? 0) + 1;
      left -= 1;
    }
    return out;
  };
  if (total === 0) return [];
  const p = split(u.promptTokens);
  const c = split(u.completionTokens);
  const r = split(u.reasoningTokens);
  return names.map((service, i) => ({ service, entries: counts.get(service) ?? 0, promptTokens: p[i] ?? 0, completionTokens: c[i] ?? 0, reasoningTokens: r[i] ?? 0 }));
}
