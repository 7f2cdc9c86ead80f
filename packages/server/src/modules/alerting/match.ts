import { createHash } from 'node:crypto';
import { AppError } from '../../lib/errors.js';
import { compileSafeRegex, UnsafePattern } from './safe-regex.js';
import { severityRank, type Conditions, type GroupLabel } from './schema.js';

/** One analysis result as the engine reads it, with its log message and template text. */
export interface ResultRow {
  seq: string;
  log_id: string;
  ts: string;
  service: string;
  level: string;
  template_id: string | null;
  is_anomaly: boolean;
  severity: string;
  category: string;
  summary: string;
  root_cause: string;
  suggestion: string;
  demo: boolean;
  message: string | null;
}

export type Predicate = (r: ResultRow) => boolean;

const invalid = (field: string, message: string): AppError =>
  new AppError('bad_request', `conditions.${field}: ${message}`, [{ field: `conditions.${field}`, reason: message }]);

/** Compiles a rule's conditions into one predicate; throws a 400 naming the field to fix. */
export function compileConditions(c: Conditions): Predicate {
  const tests: Predicate[] = [];
  if (c.min_severity !== undefined) {
    const max = severityRank(c.min_severity);
    tests.push((r) => severityRank(r.severity) <= max);
  }
  if (c.anomaly !== undefined) tests.push((r) => r.is_anomaly === c.anomaly);
  const oneOf = (values: string[] | undefined, get: (r: ResultRow) => string | null): void => {
    if (values === undefined || values.length === 0) return;
    const set = new Set(values);
    tests.push((r) => set.has(get(r) ?? ''));
  };
  oneOf(c.categories, (r) => r.category);
  oneOf(c.services, (r) => r.service);
  oneOf(c.levels, (r) => r.level);
  oneOf(c.templates, (r) => r.template_id);
  if (c.service_pattern !== undefined) {
    const glob = compileGlob(c.service_pattern);
    tests.push((r) => glob(r.service));
  }
  const ignoreCase = c.ignore_case ?? true;
  if (c.text_contains !== undefined) {
    const needle = ignoreCase ? c.text_contains.toLowerCase() : c.text_contains;
    tests.push((r) => (ignoreCase ? (r.message ?? '').toLowerCase() : (r.message ?? '')).includes(needle));
  }
  if (c.text_regex !== undefined) {
    let re;
    try {
      re = compileSafeRegex(c.text_regex, ignoreCase);
    } catch (err) {
      if (err instanceof UnsafePattern) throw invalid('text_regex', err.message);
      throw err;
    }
    tests.push((r) => re.test(r.message ?? ''));
  }
  return (r) => tests.every((t) => t(r));
}

/**
 * A service glob (`*` any run, `?` one character) matched against the whole name. Matched directly
 * (two pointers, the last `*` retried), not through the rule regex engine: escaping every `.` of a
 * 200-character pattern passed that engine's length limit and the refusal surfaced as a 500.
 */
export function compileGlob(pattern: string): (s: string) => boolean {
  const p = [...pattern];
  return (name) => {
    const s = [...name];
    let i = 0, j = 0, star = -1, mark = 0;
    while (i < s.length) {
      if (j < p.length && (p[j] === '?' || p[j] === s[i])) {
        i++;
        j++;
      } else if (j < p.length && p[j] === '*') {
        star = j++;
        mark = i;
      } else if (star >= 0) {
        j = star + 1;
        i = ++mark;
      } else return false;
    }
    while (j < p.length && p[j] === '*') j++;
    return j === p.length;
  };
}

/** The group labels of a result under a rule's group_by. */
export function groupLabels(groupBy: readonly GroupLabel[], r: ResultRow): Record<string, string> {
  const out: Record<string, string> = {};
  for (const g of groupBy) out[g] = g === 'template' ? (r.template_id ?? '') : r[g];
  return out;
}

/** Identity of an alert group: the rule plus its group labels, independent of label order. */
export function fingerprint(ruleId: string, labels: Record<string, string>): string {
  const canonical = JSON.stringify([ruleId, Object.keys(labels).sort().map((k) => [k, labels[k]])]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 32);
}

/**
 * Adds one matching time to a group's recent hits (sorted, ms) and keeps only those within the
 * window of the newest; the threshold is met when `need` hits remain. Out-of-order results are fine.
 */
export function addHit(hits: number[], ts: number, windowMs: number, need: number): { hits: number[]; met: boolean } {
  const all = [...hits, ts].sort((a, b) => a - b);
  const newest = all[all.length - 1]!;
  const kept = all.filter((t) => t >= newest - windowMs).slice(-need);
  return { hits: kept, met: kept.length >= need };
}
