import type { LlmBudget } from '../../api/analysis';
import type { UsageDay } from '../../api/usage';

// Money and budget figures of the LLM tab: pure, so the panel's arithmetic is tested without a DOM.

/** An amount in its currency; small amounts keep enough digits to not read as zero. */
export function formatMoney(amount: number, currency: string, locale = 'en'): string {
  const digits = amount !== 0 && Math.abs(amount) < 0.01 ? 4 : 2;
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(amount);
  } catch {
    // An operator's currency code Intl does not know still shows, with the code after it.
    return `${amount.toFixed(digits)} ${currency}`;
  }
}

/** Amounts per currency joined, "—" when nothing was priced. */
export function formatCosts(cost: Record<string, number> | undefined, locale = 'en'): string {
  const parts = Object.entries(cost ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([c, v]) => formatMoney(v, c, locale));
  return parts.length > 0 ? parts.join(' · ') : '—';
}

/** Share of a budget used, 0–100, or null when no such budget is set. */
export function budgetPercent(used: number, limit: number | null): number | null {
  if (limit === null || limit <= 0) return null;
  return Math.min(100, Math.round((used / limit) * 1000) / 10);
}

/** The cost used in the cost budget's currency. */
export function costUsed(b: LlmBudget): number {
  return b.cost.currency ? (b.cost.used[b.cost.currency] ?? 0) : 0;
}

export interface CostRow {
  day: string;
  service: string;
  entries: number;
  tokens: number;
  cost: Record<string, number>;
  unpriced: number;
}

/** One row per day and service that used the LLM, newest day first, most tokens first within a day. */
export function costRows(days: UsageDay[]): CostRow[] {
  const out: CostRow[] = [];
  for (const d of [...days].reverse()) {
    for (const s of d.by_service ?? []) {
      out.push({ day: d.day, service: s.service, entries: s.entries, tokens: s.prompt_tokens + s.completion_tokens, cost: s.cost, unpriced: s.unpriced_tokens });
    }
  }
  return out;
}
