// Agreement between the model's verdicts and the suite's labels, overall and per stack and language,
// plus the call figures (validity, repairs, tokens, latency). Pure: the report and tests read it.
import { SEVERITIES, type SeverityName } from '@logsage/contracts';
import type { CallRecord, CaseVerdict, RunRecord } from './run.js';
import type { EvalCase } from './suite.js';

/** Counts behind every agreement figure of one group of cases. */
export interface Agreement {
  cases: number;
  /** Cases that got a verdict; every other count is over these. */
  answered: number;
  anomaly: { tp: number; fp: number; fn: number; tn: number };
  severityExact: number;
  /** Within one step of the expected severity (or of the nearest end of an expected range). */
  severityNear: number;
  /** Cases whose label names a category, and how many of those the model matched. */
  categoryLabelled: number;
  categoryAgree: number;
}

export interface Disagreement {
  case: EvalCase;
  verdict: CaseVerdict | undefined;
  /** What differs: anomaly, severity, category, or no verdict. */
  what: string[];
}

export interface CallFigures {
  calls: number;
  firstValid: number;
  withRepairs: number;
  repairs: number;
  incomplete: number;
  promptTokens: number;
  completionTokens: number;
  reasoningTokens: number;
  p50Ms: number;
  p95Ms: number;
  errors: string[];
}

export interface Scores {
  overall: Agreement;
  byStack: Map<string, Agreement>;
  byLanguage: Map<string, Agreement>;
  disagreements: Disagreement[];
  calls: CallFigures;
}

const empty = (): Agreement => ({ cases: 0, answered: 0, anomaly: { tp: 0, fp: 0, fn: 0, tn: 0 }, severityExact: 0, severityNear: 0, categoryLabelled: 0, categoryAgree: 0 });

/** Steps between `got` and the nearest accepted severity (0: agreement). */
export function severityDistance(got: SeverityName, accepted: SeverityName[]): number {
  const g = SEVERITIES.indexOf(got);
  return Math.min(...accepted.map((s) => Math.abs(SEVERITIES.indexOf(s) - g)));
}

/** The differences between one case's label and its verdict; empty when they agree. */
function differences(c: EvalCase, v: CaseVerdict | undefined): string[] {
  if (!v) return ['no verdict'];
  const what: string[] = [];
  if (v.isAnomaly !== c.expect.isAnomaly) what.push('anomaly');
  if (severityDistance(v.severity, c.expect.severity) > 0) what.push('severity');
  if (c.expect.category !== undefined && v.category !== c.expect.category) what.push('category');
  return what;
}

function add(a: Agreement, c: EvalCase, v: CaseVerdict | undefined): void {
  a.cases++;
  if (!v) return;
  a.answered++;
  const key = c.expect.isAnomaly ? (v.isAnomaly ? 'tp' : 'fn') : v.isAnomaly ? 'fp' : 'tn';
  a.anomaly[key]++;
  const distance = severityDistance(v.severity, c.expect.severity);
  if (distance === 0) a.severityExact++;
  if (distance <= 1) a.severityNear++;
  if (c.expect.category !== undefined) {
    a.categoryLabelled++;
    if (v.category === c.expect.category) a.categoryAgree++;
  }
}

/** Nearest-rank percentile of `values` (0 when there are none). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

function callFigures(calls: CallRecord[]): CallFigures {
  const sum = (f: (c: CallRecord) => number): number => calls.reduce((n, c) => n + f(c), 0);
  return {
    calls: calls.length,
    firstValid: calls.filter((c) => c.firstValid).length,
    withRepairs: calls.filter((c) => c.repairs > 0).length,
    repairs: sum((c) => c.repairs),
    incomplete: calls.filter((c) => !c.complete).length,
    promptTokens: sum((c) => c.promptTokens),
    completionTokens: sum((c) => c.completionTokens),
    reasoningTokens: sum((c) => c.reasoningTokens),
    p50Ms: percentile(calls.map((c) => c.ms), 50),
    p95Ms: percentile(calls.map((c) => c.ms), 95),
    errors: calls.flatMap((c) => (c.error ? [c.error] : [])),
  };
}

/** Scores a run against the labels of `cases`. */
export function score(cases: EvalCase[], run: RunRecord): Scores {
  const overall = empty();
  const byStack = new Map<string, Agreement>();
  const byLanguage = new Map<string, Agreement>();
  const disagreements: Disagreement[] = [];
  for (const c of cases) {
    const v = run.verdicts.get(c.id);
    add(overall, c, v);
    for (const [map, key] of [[byStack, c.stack], [byLanguage, c.language]] as const) {
      const a = map.get(key) ?? empty();
      add(a, c, v);
      map.set(key, a);
    }
    const what = differences(c, v);
    if (what.length > 0) disagreements.push({ case: c, verdict: v, what });
  }
  return { overall, byStack, byLanguage, disagreements, calls: callFigures(run.calls) };
}

/** Accuracy, precision and recall of the anomaly flag as fractions (undefined when the denominator is 0). */
export function anomalyRates(a: Agreement): { accuracy?: number; precision?: number; recall?: number } {
  const { tp, fp, fn, tn } = a.anomaly;
  const ratio = (n: number, d: number): number | undefined => (d === 0 ? undefined : n / d);
  return { accuracy: ratio(tp + tn, tp + fp + fn + tn), precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn) };
}
