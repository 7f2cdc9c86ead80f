// The evaluation suite: labelled log lines kept as data (JSON Lines, one case a line), so users add
// their own stacks without touching code. Every bad line is reported with its file and line number
// at once, instead of the run stopping at the first one or silently scoring fewer cases.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CATEGORIES, REQUEST_LIMITS } from '@logsage/ai-service';
import { LANGUAGES, SEVERITIES, type Language, type SeverityName } from '@logsage/contracts';

/** One labelled log line. */
export interface EvalCase {
  id: string;
  stack: string;
  language: Language;
  message: string;
  level?: string | undefined;
  service?: string | undefined;
  template?: string | undefined;
  expect: {
    isAnomaly: boolean;
    /** Accepted severities, most severe first: one value, or every step between the two named. */
    severity: SeverityName[];
    category?: string | undefined;
  };
  /** `file:line`, so a disagreement can be traced to its case. */
  source: string;
}

/** A suite file or line that cannot be used; `problems` lists every one found. */
export class SuiteError extends Error {
  constructor(readonly problems: string[]) {
    super(`the evaluation suite has ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  }
}

/** The suite shipped with LogSage (packages/server/eval/suite), found from src/ and from dist/ alike. */
export const BUILTIN_SUITE = fileURLToPath(new URL('../../eval/suite/', import.meta.url));

const isSeverity = (v: unknown): v is SeverityName => typeof v === 'string' && (SEVERITIES as readonly string[]).includes(v);
const optionalText = (v: unknown): v is string | undefined => v === undefined || typeof v === 'string';

/** `"high"` → [high]; `["medium","critical"]` → [critical, high, medium] (order of the range ignored). */
function severityRange(v: unknown): SeverityName[] | string {
  if (isSeverity(v)) return [v];
  if (Array.isArray(v) && v.length === 2 && isSeverity(v[0]) && isSeverity(v[1])) {
    const [a, b] = [SEVERITIES.indexOf(v[0]), SEVERITIES.indexOf(v[1])];
    return SEVERITIES.slice(Math.min(a, b), Math.max(a, b) + 1);
  }
  return `expect.severity: one of ${SEVERITIES.join(', ')}, or a range of two such as ["high","critical"]`;
}

/** Checks one parsed line; returns the case or the reasons it is unusable. */
function toCase(raw: unknown, source: string): EvalCase | string[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return ['not a JSON object'];
  const r = raw as Record<string, unknown>;
  const e = (typeof r.expect === 'object' && r.expect !== null ? r.expect : {}) as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof r.id !== 'string' || r.id === '' || r.id.length > REQUEST_LIMITS.maxIdChars) problems.push(`id: a non-empty string of at most ${REQUEST_LIMITS.maxIdChars} characters`);
  if (typeof r.stack !== 'string' || r.stack === '') problems.push('stack: a non-empty string (database, queue, http, kubernetes, jvm, kernel, auth, …)');
  if (!(LANGUAGES as readonly unknown[]).includes(r.language)) problems.push(`language: ${LANGUAGES.join(' or ')}`);
  if (typeof r.message !== 'string' || r.message === '' || r.message.length > REQUEST_LIMITS.maxMessageChars) problems.push(`message: a non-empty string of at most ${REQUEST_LIMITS.maxMessageChars} characters`);
  for (const k of ['level', 'service', 'template'] as const) if (!optionalText(r[k])) problems.push(`${k}: a string when given`);
  if (typeof r.expect !== 'object' || r.expect === null) problems.push('expect: an object { is_anomaly, severity, category? }');
  else if (typeof e.is_anomaly !== 'boolean') problems.push('expect.is_anomaly: true or false');
  const severity = severityRange(e.severity);
  if (typeof severity === 'string' && typeof r.expect === 'object' && r.expect !== null) problems.push(severity);
  if (e.category !== undefined && !(CATEGORIES as readonly unknown[]).includes(e.category)) problems.push(`expect.category: one of ${CATEGORIES.join(', ')}`);
  if (problems.length > 0 || typeof severity === 'string') return problems;
  return {
    id: r.id as string,
    stack: r.stack as string,
    language: r.language as Language,
    message: r.message as string,
    level: r.level as string | undefined,
    service: r.service as string | undefined,
    template: r.template as string | undefined,
    expect: { isAnomaly: e.is_anomaly as boolean, severity, category: e.category as string | undefined },
    source,
  };
}

/** The `.jsonl` files of a path: the file itself, or a directory's files in name order. */
function suiteFiles(path: string, problems: string[]): string[] {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    problems.push(`${path}: no such file or directory`);
    return [];
  }
  if (!isDir) return [path];
  const files = readdirSync(path).filter((f) => f.endsWith('.jsonl')).sort().map((f) => join(path, f));
  if (files.length === 0) problems.push(`${path}: a directory without .jsonl files`);
  return files;
}

function parseFile(file: string, cases: EvalCase[], problems: string[]): void {
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    const text = line.trim();
    // Blank lines and `//` comments let users annotate their suites.
    if (text === '' || text.startsWith('//')) return;
    const where = `${basename(file)}:${i + 1}`;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      problems.push(`${where}: not JSON (${(err as Error).message})`);
      return;
    }
    const c = toCase(raw, where);
    if (Array.isArray(c)) problems.push(...c.map((p) => `${where}: ${p}`));
    else cases.push(c);
  });
}

/** Reads every case of `paths` (files or directories); throws SuiteError listing every bad line and duplicate id. */
export function loadSuite(paths: string[]): EvalCase[] {
  const problems: string[] = [];
  const cases: EvalCase[] = [];
  for (const path of paths) for (const file of suiteFiles(path, problems)) parseFile(file, cases, problems);
  // Ids name cases in the report and the model's answer: two cases with one id would mix their verdicts.
  const seen = new Map<string, string>();
  for (const c of cases) {
    const first = seen.get(c.id);
    if (first !== undefined) problems.push(`${c.source}: id "${c.id}" already used at ${first}`);
    else seen.set(c.id, c.source);
  }
  if (problems.length === 0 && cases.length === 0) problems.push('no cases: the suite is empty');
  if (problems.length > 0) throw new SuiteError(problems);
  return cases;
}
