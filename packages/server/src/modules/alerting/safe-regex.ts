/**
 * Regular expressions from rules run against attacker-controlled log text, so they are matched by
 * RE2 (the re2js port), which takes time linear in the text, never by the backtracking engine: even
 * a pattern as plain as `\w+\d+x` is cubic there and would stall the alert engine on one line.
 * The syntax is RE2's (named groups, `\p{Han}`, `(?i)` work; backreferences and lookarounds do not,
 * since no linear-time engine can offer them); a refused pattern gets a reason saying what to change.
 */
import { RE2JS, RE2JSException } from 're2js';

export const MAX_PATTERN_LENGTH = 256;
/** Only this much of a message is matched; a stack trace's head carries the words rules look for. */
export const MAX_MATCHED_CHARS = 4096;
/** Larger counts make the compiled program (and so the cost per character) grow with the count. */
const MAX_REPEAT = 100;
/** Instructions in the compiled program: the per-character cost of the linear scan grows with it. */
const MAX_PROGRAM = 2000;

/** Thrown for a pattern LogSage refuses; the message says what to change. */
export class UnsafePattern extends Error {}

/** A compiled rule pattern: `test` runs in time linear in the (capped) text. */
export interface SafeRegex {
  source: string;
  test(text: string): boolean;
}

// RE2's own wording, mapped to what the rule author should change. Checked in order.
const REASONS: [RegExp, string][] = [
  [/invalid escape sequence: `\\[1-9k]/, 'backreferences (\\1, \\k<name>) are not supported: rule patterns use RE2 syntax, which matches in linear time; match the repeated text itself instead'],
  [/`\(\?(=|!|<=|<!)/, 'lookarounds ((?=, (?!, (?<=, (?<!) are not supported: rule patterns use RE2 syntax, which matches in linear time; match the text itself instead'],
  [/invalid repeat count/, 'counted repetition too large (at most 1000 in all, nested counts multiply); use + or * instead'],
  [/invalid nested repetition operator/, 'two quantifiers in a row; remove one'],
  [/missing argument to repetition operator/, 'a quantifier needs something to repeat; write \\* or \\+ for the literal character'],
  [/missing closing \)/, 'missing )'],
  [/unexpected \)/, 'unbalanced ); write \\) for the literal character'],
  [/missing closing \]/, 'missing ]'],
  [/trailing backslash/, 'the pattern ends with a lone backslash'],
];

/** Checks and compiles a rule pattern; throws UnsafePattern saying what to change. */
export function compileSafeRegex(source: string, ignoreCase = false): SafeRegex {
  if (source.length === 0) throw new UnsafePattern('the pattern is empty');
  if (source.length > MAX_PATTERN_LENGTH) throw new UnsafePattern(`the pattern is longer than ${MAX_PATTERN_LENGTH} characters; shorten it`);
  const re2Source = translateJsEscapes(source);
  checkCounts(re2Source);
  let re: RE2JS;
  try {
    re = RE2JS.compile(re2Source, ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (err) {
    if (err instanceof RE2JSException) throw new UnsafePattern(reasonFor(err.message));
    throw err;
  }
  if ((re.re2().prog as { numInst(): number }).numInst() > MAX_PROGRAM) {
    throw new UnsafePattern('the pattern is too large once repetitions are expanded; shorten it or lower {n,m}');
  }
  return { source, test: (text) => re.test(text.length > MAX_MATCHED_CHARS ? text.slice(0, MAX_MATCHED_CHARS) : text) };
}

function reasonFor(message: string): string {
  const detail = message.replace(/^error parsing regexp: /, '');
  const known = REASONS.find(([when]) => when.test(detail));
  return known ? known[1] : `not a valid regular expression (RE2 syntax): ${detail}`;
}

/**
 * Rules written before RE2 used JavaScript's `\uXXXX` and `\u{X}`, which RE2 rejects; they mean
 * exactly RE2's `\x{X}`, so they are rewritten rather than breaking saved rules. Escaped
 * backslashes are copied as pairs so `\\u0041` stays a backslash followed by "u0041".
 */
function translateJsEscapes(src: string): string {
  if (!src.includes('\\u')) return src;
  let out = '';
  for (let i = 0; i < src.length; i++) {
    if (src[i] !== '\\') {
      out += src[i];
      continue;
    }
    const m = /^u(?:([0-9a-fA-F]{4})|\{([0-9a-fA-F]{1,6})\})/.exec(src.slice(i + 1, i + 10));
    if (m) {
      out += `\\x{${m[1] ?? m[2]}}`;
      i += m[0].length;
    } else {
      out += src.slice(i, i + 2);
      i++;
    }
  }
  return out;
}

/** Refuses `{n,m}` above MAX_REPEAT outside classes and escapes, before RE2 expands it. */
function checkCounts(src: string): void {
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (ch === '\\') i++;
    else if (inClass) inClass = ch !== ']';
    else if (ch === '[') {
      inClass = true;
      if (src[i + 1] === '^') i++;
      if (src[i + 1] === ']') i++; // a leading ] is a member, not the end
    } else if (ch === '{') {
      const m = /^\{(\d+)(?:,(\d*))?\}/.exec(src.slice(i, i + 24));
      if (m && (Number(m[1]) > MAX_REPEAT || Number(m[2] ?? 0) > MAX_REPEAT)) {
        throw new UnsafePattern(`counted repetition above ${MAX_REPEAT} (at position ${i}); use + or * instead`);
      }
    }
  }
}
