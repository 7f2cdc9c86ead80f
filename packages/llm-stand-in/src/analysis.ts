// The deterministic "model": every verdict field follows from the log's level and message alone,
// so tests anywhere can compute the expected answer with analyseLog instead of hard-coding it.
import { keyParamsOf } from './key-params.js';
import { textsFor } from './texts.js';
import type { Category, Language, LogInput, Severity, Verdict } from './types.js';

const CRITICAL = /panic|out of memory|\boom\b|segfault|kernel|data loss|corrupt/i;
const HIGH = /error|exception|fail(ed|ure)?|refused|timed? ?out|denied|unreachable/i;
const MEDIUM = /warn|retry|slow|deprecated/i;

// First match wins, so the order is part of the contract (README, "Deterministic analysis").
const CATEGORY_RULES: ReadonlyArray<readonly [Category, RegExp]> = [
  ['security', /auth|login|password|token|unauthori|forbidden|denied|invalid user|ssh/i],
  ['database', /sql|database|\bdb\b|postgres|mysql|redis|deadlock|query/i],
  ['resource', /memory|\boom\b|disk|cpu|quota|no space/i],
  ['network', /connection|connect|socket|dns|unreachable|refused|timed? ?out|network/i],
  ['performance', /slow|latency|took \d+ ?ms/i],
  ['configuration', /config|setting|missing (key|property)/i],
  ['hardware', /disk failure|hardware|temperature|fan|ecc/i],
];

const SCORE: Record<Severity, number> = { critical: 0.95, high: 0.8, medium: 0.5, low: 0.1, info: 0.05 };
const PARAMETER_STATUS = /\b(status|code|exit code)[=: ]\d+/i;
// A running retry count ("retry <*> of", "attempt <*>", "tried <*> time(s)"): a model reads the
// count as telling something, so the verdict depends on the line's values (which ones:
// key-params.ts). Read in the template; a summary such as "after 3 retries" does not count.
const PARAMETER_COUNTER = /\b(?:retry|retrying|attempt|tried)\s+#?<\*>/i;
const EXCERPT_CHARS = 80;

function normaliseLevel(level: string): string {
  const l = level.trim().toLowerCase();
  return l === 'warning' ? 'warn' : l;
}

/** Severity from the level and message keywords; the most severe rule that matches wins. */
export function severityOf(level: string, message: string): Severity {
  const l = normaliseLevel(level);
  if (l === 'fatal' || CRITICAL.test(message)) return 'critical';
  if (l === 'error' || HIGH.test(message)) return 'high';
  if (l === 'warn' || MEDIUM.test(message)) return 'medium';
  if (l === 'debug' || l === 'trace') return 'low';
  return 'info';
}

/** Category from message keywords; application/other when no keyword matches. */
export function categoryOf(message: string, anomaly: boolean): Category {
  for (const [category, pattern] of CATEGORY_RULES) if (pattern.test(message)) return category;
  return anomaly ? 'application' : 'other';
}

/** True when the template has a wildcard and the message carries a status or exit code value, or the template a running retry count. */
export function isParameterDependent(template: string | undefined, message: string): boolean {
  return template !== undefined && template.includes('<*>') && (PARAMETER_STATUS.test(message) || PARAMETER_COUNTER.test(template));
}

/** The first 80 characters (code points, never half a surrogate pair); control characters become spaces so a summary stays one line. */
export function excerptOf(message: string): string {
  return Array.from(message).slice(0, EXCERPT_CHARS).join('').replace(/\p{Cc}/gu, ' ');
}

/** The deterministic analysis of one log in the requested language. */
export function analyseLog(log: LogInput, language: Language): Verdict {
  const message = log.message;
  const severity = severityOf(log.level, message);
  const isAnomaly = severity === 'critical' || severity === 'high' || severity === 'medium';
  const category = categoryOf(message, isAnomaly);
  const t = textsFor(language);
  const dependent = isParameterDependent(log.template, message);
  const service = log.service !== undefined && log.service.trim() !== '' ? log.service : t.unknownService;
  return {
    is_anomaly: isAnomaly,
    anomaly_score: SCORE[severity],
    severity,
    category,
    summary: t.summary(t.severity[severity], t.category[category], service, excerptOf(message), isAnomaly),
    root_cause: t.explain[category].rootCause,
    suggestion: t.explain[category].suggestion,
    confidence: isAnomaly ? 0.85 : 0.6,
    parameter_dependent: dependent,
    key_params: dependent ? keyParamsOf(log.template ?? '') : [],
  };
}
