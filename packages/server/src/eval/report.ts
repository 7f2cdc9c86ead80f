// The eval's outputs: a Markdown report (figures, breakdowns, every disagreement) and one summary line.
import { costPer1000, formatMoney, type EvalPrice } from './prices.js';
import type { RunRecord } from './run.js';
import { anomalyRates, type Agreement, type Disagreement, type Scores } from './score.js';
import type { EvalCase } from './suite.js';

/** What the report says about the run besides the scores. */
export interface ReportContext {
  run: RunRecord;
  cases: EvalCase[];
  scores: Scores;
  price: EvalPrice | undefined;
  suites: string[];
  promptVersion: string;
}

const pct = (n: number, d: number): string => (d === 0 ? '–' : `${((100 * n) / d).toFixed(1)}% (${n}/${d})`);
const rate = (x: number | undefined): string => (x === undefined ? '–' : `${(100 * x).toFixed(1)}%`);
const ms = (x: number): string => `${Math.round(x)} ms`;
// Cells hold log text: a pipe or a line break would end the table row.
const cell = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n\t]+/g, ' ').replace(/`/g, "'");
const excerpt = (s: string, n = 90): string => {
  const chars = Array.from(s);
  return chars.length > n ? `${chars.slice(0, n).join('')}…` : s;
};

const PRICE_NOTE: Record<EvalPrice['origin'], string> = {
  given: 'price given on the command line or in EVAL_PRICE_*',
  configured: 'price from LLM_PRICES',
  default: 'built-in default list price as of 2026: check your provider and set --price-in/--price-out or LLM_PRICES',
};

/** The cost sentence, or why there is none. */
export function costText(ctx: Pick<ReportContext, 'price' | 'scores' | 'cases'>): string {
  const { price, scores } = ctx;
  if (!price) return 'unknown: no price for this model (set --price-in and --price-out; 0 for a local model)';
  const c = costPer1000(price, scores.calls.promptTokens, scores.calls.completionTokens, ctx.cases.length);
  return `${formatMoney(c, price.currency)} per 1,000 logs (${price.input}/${price.output} ${price.currency} per million input/output tokens; ${PRICE_NOTE[price.origin]})`;
}

/** The one line printed on stdout. */
export function summaryLine(ctx: ReportContext, out: string): string {
  const { scores, run } = ctx;
  const a = scores.overall;
  const r = anomalyRates(a);
  const c = scores.calls;
  const cost = ctx.price ? `${formatMoney(costPer1000(ctx.price, c.promptTokens, c.completionTokens, ctx.cases.length), ctx.price.currency)}/1k logs` : 'cost unknown';
  return (
    `eval ${run.model}: ${a.answered}/${a.cases} answered, anomaly accuracy ${rate(r.accuracy)} precision ${rate(r.precision)} recall ${rate(r.recall)}, ` +
    `severity exact ${rate(a.answered ? a.severityExact / a.answered : undefined)} within one ${rate(a.answered ? a.severityNear / a.answered : undefined)}, ` +
    `JSON valid ${c.firstValid}/${c.calls} calls, repairs ${c.repairs}, tokens ${c.promptTokens} in ${c.completionTokens} out, ` +
    `p50 ${ms(c.p50Ms)} p95 ${ms(c.p95Ms)}, ${cost} → ${out}`
  );
}

function agreementRow(name: string, a: Agreement): string {
  const r = anomalyRates(a);
  return `| ${cell(name)} | ${a.cases} | ${a.answered} | ${rate(r.accuracy)} | ${rate(r.precision)} | ${rate(r.recall)} | ${pct(a.severityExact, a.answered)} | ${pct(a.severityNear, a.answered)} | ${pct(a.categoryAgree, a.categoryLabelled)} |`;
}

function breakdown(title: string, groups: Map<string, Agreement>): string[] {
  const head = ['', `## By ${title}`, '', `| ${title} | cases | answered | anomaly accuracy | precision | recall | severity exact | within one | category |`, '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'];
  return [...head, ...[...groups.keys()].sort().map((k) => agreementRow(k, groups.get(k) as Agreement))];
}

function disagreementRows(list: Disagreement[]): string[] {
  if (list.length === 0) return ['', '## Disagreements', '', 'None: every verdict matches its label.'];
  const rows = list.map(({ case: c, verdict: v, what }) => {
    const expected = `${c.expect.isAnomaly ? 'anomaly' : 'normal'}, ${c.expect.severity.length === 1 ? c.expect.severity[0] : `${c.expect.severity.at(-1)}–${c.expect.severity[0]}`}${c.expect.category ? `, ${c.expect.category}` : ''}`;
    const got = v ? `${v.isAnomaly ? 'anomaly' : 'normal'}, ${v.severity}, ${v.category}` : '–';
    return `| ${cell(c.id)} | ${cell(c.stack)} | ${c.language} | ${cell(expected)} | ${cell(got)} | ${what.join(', ')} | ${cell(excerpt(c.message))} |`;
  });
  return ['', `## Disagreements (${list.length})`, '', '| case | stack | language | expected | model | differs in | message |', '| --- | --- | --- | --- | --- | --- | --- |', ...rows];
}

function callSection(ctx: ReportContext): string[] {
  const c = ctx.scores.calls;
  const lines = [
    '',
    '## Calls, tokens and cost',
    '',
    '| figure | value |',
    '| --- | --- |',
    `| calls (batches of up to ${ctx.run.batchSize}) | ${c.calls} |`,
    `| JSON valid at the first answer | ${pct(c.firstValid, c.calls)} |`,
    `| calls that needed a repair | ${pct(c.withRepairs, c.calls)} (${c.repairs} repairs) |`,
    `| calls without a verdict for every case | ${pct(c.incomplete, c.calls)} |`,
    `| prompt tokens | ${c.promptTokens} |`,
    `| completion tokens (reasoning included) | ${c.completionTokens} (reasoning ${c.reasoningTokens}) |`,
    `| tokens per log | ${ctx.cases.length ? ((c.promptTokens + c.completionTokens) / ctx.cases.length).toFixed(1) : '–'} |`,
    `| latency per call, p50 / p95 | ${ms(c.p50Ms)} / ${ms(c.p95Ms)} |`,
    `| cost | ${cell(costText(ctx))} |`,
  ];
  if (c.errors.length > 0) lines.push('', 'Failed calls:', '', ...c.errors.map((e) => `- ${cell(e)}`));
  return lines;
}

/** The whole Markdown report. */
export function renderReport(ctx: ReportContext): string {
  const { run, scores } = ctx;
  const a = scores.overall;
  const r = anomalyRates(a);
  const { tp, fp, fn, tn } = a.anomaly;
  return [
    '# LogSage model evaluation',
    '',
    `- model: \`${run.model}\` (provider ${run.provider}), prompt ${ctx.promptVersion}, summaries in ${run.language}`,
    `- run: ${run.startedAt.toISOString()}, ${(run.durationMs / 1000).toFixed(1)} s`,
    `- suite: ${ctx.cases.length} cases from ${ctx.suites.map((s) => `\`${s}\``).join(', ')}`,
    '- cost per 1,000 logs counts every line sent to the model; in production one verdict serves a whole template, so far fewer lines are sent',
    '',
    '## Agreement with the labels',
    '',
    '| figure | value |',
    '| --- | --- |',
    `| cases answered | ${pct(a.answered, a.cases)} |`,
    `| anomaly accuracy | ${pct(tp + tn, a.answered)} |`,
    `| anomaly precision | ${rate(r.precision)} (${tp} of ${tp + fp} flagged) |`,
    `| anomaly recall | ${rate(r.recall)} (${tp} of ${tp + fn} labelled anomalies) |`,
    `| severity exact | ${pct(a.severityExact, a.answered)} |`,
    `| severity within one step | ${pct(a.severityNear, a.answered)} |`,
    `| category (cases labelled with one) | ${pct(a.categoryAgree, a.categoryLabelled)} |`,
    ...callSection(ctx),
    ...breakdown('stack', scores.byStack),
    ...breakdown('language', scores.byLanguage),
    ...disagreementRows(scores.disagreements),
    '',
  ].join('\n');
}
