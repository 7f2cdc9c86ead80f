import { BadValue, int, type VarSpec } from './spec.js';

/** An operator's price entry: per million tokens; currency optional for models with a built-in price. */
export interface PriceEntry {
  input: number;
  output: number;
  currency?: string | undefined;
}

const isAmount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** LLM_PRICES: a JSON object, model → { input, output, currency? }, amounts per million tokens. */
const prices = (raw: string): Record<string, PriceEntry> => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new BadValue('must be a JSON object such as {"my-model": {"input": 0.5, "output": 1.5, "currency": "USD"}}');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new BadValue('must be a JSON object of model names');
  const out: Record<string, PriceEntry> = {};
  for (const [model, v] of Object.entries(parsed as Record<string, unknown>)) {
    const e = v as { input?: unknown; output?: unknown; currency?: unknown } | null;
    if (typeof e !== 'object' || e === null || !isAmount(e.input) || !isAmount(e.output)) {
      throw new BadValue(`"${model}": needs "input" and "output", numbers of zero or more (price per million tokens)`);
    }
    if (e.currency !== undefined && (typeof e.currency !== 'string' || !/^[A-Za-z]{3}$/.test(e.currency))) {
      throw new BadValue(`"${model}": "currency" must be a three-letter code such as USD or CNY`);
    }
    out[model] = { input: e.input, output: e.output, currency: typeof e.currency === 'string' ? e.currency.toUpperCase() : undefined };
  }
  return out;
};

/** LLM_DAILY_COST_BUDGET: an amount with an optional currency, "5" or "20 CNY". */
const costBudget = (raw: string): { amount: number; currency: string | undefined } => {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]{3})?\s*$/.exec(raw);
  if (!m) throw new BadValue(`must be an amount with an optional currency, such as 5 or 20 CNY, got "${raw}"`);
  return { amount: Number(m[1]), currency: m[2]?.toUpperCase() };
};

/** Comma-separated channel ids. */
const ids = (raw: string): string[] => raw.split(',').map((s) => s.trim()).filter(Boolean);

/** LLM prices and daily budgets. */
export const BUDGET_VARS = {
  LLM_PRICES: {
    doc: 'LLM prices per million tokens as JSON, model → {"input","output","currency"}, over the built-in defaults (SiliconFlow, DeepSeek, DashScope, OpenAI list prices as of 2026)',
    default: {},
    parse: prices,
  },
  LLM_DAILY_TOKEN_BUDGET: {
    doc: 'Prompt plus completion tokens the LLM may use per UTC day (0: no limit); past it, logs wait for the next day with template verdicts still applied',
    default: 0,
    parse: int(0, 1_000_000_000_000),
  },
  LLM_DAILY_COST_BUDGET: {
    doc: 'What the LLM may cost per UTC day, e.g. 5 or 20 CNY (currency: the configured model\'s price currency when left out); unset: no limit',
    parse: costBudget,
  },
  LLM_BUDGET_NOTIFY_CHANNELS: {
    doc: 'Notification channel ids told once a day when a daily LLM budget is reached, comma-separated (unset: only the log and /api/v1/status say it)',
    default: [] as string[],
    parse: ids,
  },
} satisfies Record<string, VarSpec<unknown>>;
