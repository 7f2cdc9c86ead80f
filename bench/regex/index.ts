// Rule regex cost: realistic rule patterns over ~100k realistic log lines, matched by the rule
// engine (re2js through compileSafeRegex, linear time) beside native RegExp (V8's backtracking
// engine) in the same run as the baseline, then one adversarial pattern where the baseline's
// backtracking shows. Prints tables; asserts nothing.
import { compileSafeRegex } from '../../packages/server/src/modules/alerting/safe-regex.js';
import { loadLoghub } from '../lib/loghub.js';

interface Rule { pattern: string; ignoreCase: boolean }

// What operators write in rules: words with case ignored (the rule default), alternations,
// IP addresses, status codes, exception names, timestamps, header shapes.
const RULES: Rule[] = [
  { pattern: 'timeout after \\d+ ?m?s', ignoreCase: true },
  { pattern: '(?:ERROR|FATAL|CRITICAL)', ignoreCase: false },
  { pattern: 'connection (?:refused|reset|closed)', ignoreCase: true },
  { pattern: 'Failed password for (?:invalid user )?\\w+ from \\d{1,3}(?:\\.\\d{1,3}){3}', ignoreCase: false },
  { pattern: '\\b5\\d\\d\\b', ignoreCase: false },
  { pattern: 'OutOfMemoryError|java\\.\\w+(?:\\.\\w+)*Exception', ignoreCase: false },
  { pattern: 'user=\\w+.*denied', ignoreCase: true },
  { pattern: '\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}:\\d{2}', ignoreCase: false },
  { pattern: '^\\S+ \\S+ \\S+ \\[[^\\]]+\\]', ignoreCase: false },
  { pattern: 'blk_-?\\d+', ignoreCase: false },
  { pattern: '(?:session|authentication) (?:opened|failure)', ignoreCase: true },
];

const TARGET_LINES = 100_000;

/** Loghub-2k lines repeated up to TARGET_LINES, or generated lines when the samples are absent. */
function corpus(): { lines: string[]; source: string } {
  const loghub = loadLoghub();
  const base = loghub ? [...loghub.values()].flat() : generated(2000);
  const lines: string[] = [];
  while (lines.length < TARGET_LINES) lines.push(...base.slice(0, TARGET_LINES - lines.length));
  return { lines, source: loghub ? `Loghub-2k (${[...loghub.keys()].join(', ')}), repeated` : 'generated lines (Loghub-2k not found)' };
}

function generated(n: number): string[] {
  const shapes = [
    (i: number) => `2026-12-02 04:${String(i % 60).padStart(2, '0')}:11 ERROR db: connection refused after ${i % 900}ms`,
    (i: number) => `10.0.${i % 255}.${i % 7} - - [02/Dec/2026:04:50:11 +0000] "GET /api/v1/items/${i} HTTP/1.1" ${i % 9 === 0 ? 503 : 200} ${i * 3}`,
    (i: number) => `Dec  2 04:50:11 host sshd[${i}]: Failed password for invalid user u${i} from 192.168.${i % 255}.1 port 22 ssh2`,
    (i: number) => `INFO worker-${i % 17} processed job ${i} in ${i % 300} ms`,
  ];
  return Array.from({ length: n }, (_, i) => shapes[i % shapes.length]!(i));
}

/** Lines per second of `test` over `lines`; the best of three passes keeps JIT warm-up and GC out. */
function rate(lines: string[], test: (s: string) => boolean): { perSecond: number; hits: number } {
  let best = Infinity;
  let hits = 0;
  for (let pass = 0; pass < 3; pass++) {
    hits = 0;
    const start = performance.now();
    for (const line of lines) if (test(line)) hits++;
    best = Math.min(best, performance.now() - start);
  }
  return { perSecond: lines.length / (best / 1000), hits };
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

function realistic(lines: string[]): void {
  const rows = RULES.map((r) => {
    const safe = compileSafeRegex(r.pattern, r.ignoreCase);
    const native = new RegExp(r.pattern, r.ignoreCase ? 'i' : '');
    const re2 = rate(lines, (s) => safe.test(s));
    const js = rate(lines, (s) => native.test(s));
    return {
      pattern: r.pattern.length > 48 ? `${r.pattern.slice(0, 45)}...` : r.pattern,
      i: r.ignoreCase ? 'i' : '',
      hits: re2.hits,
      'same hits': re2.hits === js.hits ? 'yes' : `NO (${js.hits})`,
      're2js lines/s': fmt(re2.perSecond),
      'RegExp lines/s': fmt(js.perSecond),
      'RegExp / re2js': (js.perSecond / re2.perSecond).toFixed(1),
    };
  });
  console.table(rows);
  const total = (k: 're2js lines/s' | 'RegExp lines/s'): number => rows.reduce((s, r) => s + 1 / Number(r[k].replace(/,/g, '')), 0);
  console.log(`all ${RULES.length} rules on every line: re2js ${fmt(1 / total('re2js lines/s'))} lines/s, RegExp ${fmt(1 / total('RegExp lines/s'))} lines/s`);
}

/** Milliseconds of one `test` call on `text` (one call: the baseline takes seconds on the long ones). */
function once(test: (s: string) => boolean, text: string): string {
  const start = performance.now();
  test(text);
  return (performance.now() - start).toFixed(3);
}

/**
 * Patterns cubic for backtracking on a run of digits that never matches. `\w+\d+x` is included
 * although RE2 answers it at once from its required literal "x"; `\w+\d+\D` has no literal to
 * look for, so it shows the scan itself.
 */
function adversarial(): void {
  const rows = ['\\w+\\d+x', '\\w+\\d+\\D'].flatMap((pattern) => [250, 500, 1000, 2000].map((len) => {
    const text = '1'.repeat(len);
    const safe = compileSafeRegex(pattern);
    const native = new RegExp(pattern);
    once((s) => safe.test(s), text); // warm-up
    return { pattern, 'line length': len, 're2js ms': once((s) => safe.test(s), text), 'RegExp ms': once((s) => native.test(s), text) };
  }));
  console.log('\nadversarial: one line, a run of digits the pattern never matches');
  console.table(rows);
}

const { lines, source } = corpus();
console.log(`${RULES.length} rule patterns over ${fmt(lines.length)} lines of ${source}; one core, best of 3 passes`);
realistic(lines);
adversarial();
