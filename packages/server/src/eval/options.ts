// Options of `logsage eval`: flags first, then EVAL_* variables, then defaults. The provider itself
// comes from the same configuration as the ai role (LLM_*, SILICONFLOW_*), parsed elsewhere.
import { parseArgs } from 'node:util';
import { LANGUAGES, type Language } from '@logsage/contracts';
import type { GivenPrice } from './prices.js';
import { BUILTIN_SUITE } from './suite.js';

export interface EvalOptions {
  /** Suite files and directories, the built-in suite first unless `--suite-only`. */
  suites: string[];
  out: string;
  price: GivenPrice;
  /** Cases per call; undefined: ANALYSIS_BATCH_SIZE, as the worker batches. */
  batchSize: number | undefined;
  /** Output language asked of the model; undefined: ANALYSIS_LANGUAGE. */
  language: Language | undefined;
}

export const EVAL_USAGE = `usage: logsage eval [options]
  Scores the configured provider and model (LLM_BASE_URL/LLM_MODEL or SILICONFLOW_*, as the ai role
  reads them) on labelled log lines and writes a Markdown report; prints one summary line.
  --suite PATH        add a suite file (.jsonl) or directory of them; repeatable (EVAL_SUITE, comma-separated)
  --suite-only        run only the --suite cases, not the built-in suite
  --out FILE          the report (EVAL_OUT, default logsage-eval-<date>.md)
  --price-in N        price of a million prompt tokens (EVAL_PRICE_IN)
  --price-out N       price of a million completion tokens (EVAL_PRICE_OUT)
  --currency CODE     currency of those prices (EVAL_CURRENCY, default the model's table entry or USD)
                      without prices, the price table is used (built-in list prices, LLM_PRICES)
  --batch-size N      cases per call (default ANALYSIS_BATCH_SIZE, 12)
  --language L        zh-CN or en: language of the model's summaries (default ANALYSIS_LANGUAGE)
Exit status: 0 once the report is written, whatever the figures; 2 for bad options or a bad suite,
1 when no provider is configured or the provider rejects the key.`;

/** Bad flags or values; every problem at once. */
export class EvalOptionsError extends Error {}

const FLAGS = {
  suite: { type: 'string', multiple: true },
  'suite-only': { type: 'boolean' },
  out: { type: 'string' },
  'price-in': { type: 'string' },
  'price-out': { type: 'string' },
  currency: { type: 'string' },
  'batch-size': { type: 'string' },
  language: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function amount(raw: string | undefined, name: string, bad: string[]): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) bad.push(`--${name}: a price per million tokens, zero or more, got "${raw}"`);
  return n;
}

/** The default report name: logsage-eval-2026-12-02.md (UTC date). */
export const defaultReportName = (now = new Date()): string => `logsage-eval-${now.toISOString().slice(0, 10)}.md`;

/** Parses flags and EVAL_* variables; `help` true means print EVAL_USAGE. Throws EvalOptionsError listing every bad value. */
export function parseEvalOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): EvalOptions & { help: boolean } {
  let values: ReturnType<typeof parseArgs<{ args: string[]; options: typeof FLAGS }>>['values'];
  try {
    ({ values } = parseArgs({ args: argv, options: FLAGS, allowPositionals: false, strict: true }));
  } catch (err) {
    throw new EvalOptionsError((err as Error).message);
  }
  const bad: string[] = [];
  const given = values.suite ?? (env.EVAL_SUITE ? env.EVAL_SUITE.split(',').map((s) => s.trim()).filter(Boolean) : []);
  if (values['suite-only'] && given.length === 0) bad.push('--suite-only: needs at least one --suite');
  const price: GivenPrice = {
    input: amount(values['price-in'] ?? env.EVAL_PRICE_IN, 'price-in', bad),
    output: amount(values['price-out'] ?? env.EVAL_PRICE_OUT, 'price-out', bad),
    currency: (values.currency ?? env.EVAL_CURRENCY)?.toUpperCase() || undefined,
  };
  if ((price.input === undefined) !== (price.output === undefined)) bad.push('--price-in and --price-out: give both, or neither to use the price table');
  if (price.currency !== undefined && !/^[A-Z]{3}$/.test(price.currency)) bad.push('--currency: a three-letter code such as USD or CNY');
  const batchRaw = values['batch-size'];
  const batchSize = batchRaw === undefined ? undefined : Number(batchRaw);
  if (batchSize !== undefined && !(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= 100)) bad.push('--batch-size: a whole number from 1 to 100');
  const lang = values.language;
  const language = lang === undefined ? undefined : LANGUAGES.find((l) => l.toLowerCase() === lang.toLowerCase());
  if (lang !== undefined && language === undefined) bad.push(`--language: ${LANGUAGES.join(' or ')}`);
  if (bad.length > 0) throw new EvalOptionsError(bad.join('\n'));
  return {
    help: values.help === true,
    suites: values['suite-only'] ? given : [BUILTIN_SUITE, ...given],
    out: values.out ?? (env.EVAL_OUT || defaultReportName()),
    price,
    batchSize,
    language,
  };
}
