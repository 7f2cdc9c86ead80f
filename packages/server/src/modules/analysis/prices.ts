// The LLM price table: what a million prompt (input) and completion (output) tokens cost per model.
// Built-in defaults cover the providers the README names; LLM_PRICES overrides or adds entries.
// Cost is computed when read, from the current table: a corrected price corrects past days too.

/** One model's price per million tokens; `default` marks a built-in entry not set by the operator. */
export interface Price {
  input: number;
  output: number;
  currency: string;
  default: boolean;
}

export type PriceTable = ReadonlyMap<string, Price>;

/** An operator's entry (LLM_PRICES): currency may be left out when the model has a built-in price. */
export interface PriceOverride {
  input: number;
  output: number;
  currency?: string | undefined;
}

/** Built-in prices, list prices as of 2026: check your provider's price list and set LLM_PRICES. */
const DEFAULTS: [string, number, number, string][] = [
  // SiliconFlow (the default provider; CNY)
  ['Qwen/QwQ-32B', 1, 4, 'CNY'],
  ['Qwen/Qwen2.5-72B-Instruct', 4.13, 4.13, 'CNY'],
  ['deepseek-ai/DeepSeek-V3', 2, 8, 'CNY'],
  ['deepseek-ai/DeepSeek-R1', 4, 16, 'CNY'],
  // DeepSeek (USD)
  ['deepseek-chat', 0.28, 0.42, 'USD'],
  ['deepseek-reasoner', 0.28, 0.42, 'USD'],
  // DashScope / Qwen (CNY)
  ['qwen-turbo', 0.3, 0.6, 'CNY'],
  ['qwen-plus', 0.8, 2, 'CNY'],
  ['qwen-max', 2.4, 9.6, 'CNY'],
  ['qwq-32b', 2, 6, 'CNY'],
  // OpenAI (USD)
  ['gpt-4o-mini', 0.15, 0.6, 'USD'],
  ['gpt-4o', 2.5, 10, 'USD'],
  ['gpt-4.1-mini', 0.4, 1.6, 'USD'],
];

/** The built-in table merged under the operator's entries (theirs win and are not marked default). */
export function priceTable(overrides: Record<string, PriceOverride> = {}): PriceTable {
  const table = new Map<string, Price>(DEFAULTS.map(([model, input, output, currency]) => [model, { input, output, currency, default: true }]));
  for (const [model, o] of Object.entries(overrides)) {
    // Without a currency, an override of a built-in price keeps that price's currency.
    const currency = o.currency ?? table.get(model)?.currency ?? 'USD';
    table.set(model, { input: o.input, output: o.output, currency: currency.toUpperCase(), default: false });
  }
  return table;
}

/** What tokens cost at a price per million input and output tokens. */
export function tokenCost(price: { input: number; output: number }, promptTokens: number, completionTokens: number): number {
  return (promptTokens * price.input + completionTokens * price.output) / 1_000_000;
}

/** The cost of tokens of one model, or null when the table has no price for it (unknown is not free). */
export function costOf(table: PriceTable, model: string, promptTokens: number, completionTokens: number): { amount: number; currency: string } | null {
  const p = table.get(model);
  if (!p) return null;
  return { amount: tokenCost(p, promptTokens, completionTokens), currency: p.currency };
}

/** Adds an amount into per-currency sums (rounded to a millionth, so sums print cleanly). */
export function addCost(into: Record<string, number>, c: { amount: number; currency: string } | null): void {
  if (!c) return;
  into[c.currency] = Math.round(((into[c.currency] ?? 0) + c.amount) * 1e6) / 1e6;
}

/** The table as the API lists it, models in name order. */
export function listPrices(table: PriceTable): ({ model: string } & Price)[] {
  return [...table.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([model, p]) => ({ model, ...p }));
}
