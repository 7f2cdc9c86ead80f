// The price the eval's cost figure uses: the one given on the command line (or EVAL_PRICE_*), else the
// installation's price table (built-in list prices, LLM_PRICES entries over them). Unknown stays unknown:
// a local model is priced 0 only when the user says so.
import { tokenCost, type PriceTable } from '../modules/analysis/index.js';

/** A price per million tokens and where it came from, so the report can say how far to trust it. */
export interface EvalPrice {
  input: number;
  output: number;
  currency: string;
  origin: 'given' | 'configured' | 'default';
}

export interface GivenPrice {
  input?: number | undefined;
  output?: number | undefined;
  currency?: string | undefined;
}

/** The price for `model`: the given one first, then the table; undefined when neither knows it. */
export function choosePrice(given: GivenPrice, model: string, table: PriceTable): EvalPrice | undefined {
  const entry = table.get(model);
  if (given.input !== undefined && given.output !== undefined) {
    return { input: given.input, output: given.output, currency: given.currency ?? entry?.currency ?? 'USD', origin: 'given' };
  }
  if (!entry) return undefined;
  return { input: entry.input, output: entry.output, currency: entry.currency, origin: entry.default ? 'default' : 'configured' };
}

/** What `promptTokens` and `completionTokens` cost at `price`. */
export function costOfTokens(price: EvalPrice, promptTokens: number, completionTokens: number): number {
  return tokenCost(price, promptTokens, completionTokens);
}

/** The cost scaled to 1,000 analysed lines. */
export function costPer1000(price: EvalPrice, promptTokens: number, completionTokens: number, lines: number): number {
  return lines === 0 ? 0 : (costOfTokens(price, promptTokens, completionTokens) / lines) * 1000;
}

/** `0.0123 CNY`: enough digits that a small per-line cost does not print as zero. */
export function formatMoney(amount: number, currency: string): string {
  const digits = amount === 0 ? 2 : amount < 0.01 ? 6 : amount < 1 ? 4 : 2;
  return `${amount.toFixed(digits)} ${currency}`;
}
