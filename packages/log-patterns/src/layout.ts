// Header inference for one log source. Instead of a list of known layouts, the learner looks at
// the shape class of each leading field across lines of the same source: a position whose class
// is stable in nearly every line, and whose class is time-like, number-like, a level, a bracketed
// group, a separator or a closing `component:`, is header; the message starts where the
// positions stop agreeing. Words and identifiers count only when a header-like field follows them
// (a constant host name, `RAS KERNEL INFO`), so a source whose messages all begin alike does not
// lose its first words. When the data shows no consistent header, lines are left whole. The
// per-source state that learns and re-learns a layout is LayoutLearner (layout-learner.ts).
import {
  BRACKET, COMPONENT, IDENT, LEVEL, NUM, SEP, TIME, WORD, classify, family, fieldEnd, signature, skipBlanks,
} from './fields.js';

/** Leading fields looked at; headers are shorter (BGL's has ten). */
const MAX_FIELDS = 12;
/** Share of lines a header position must hold for. */
const AGREE = 0.95;

/** What a header carried, for the caller to store as fields. */
export interface HeaderFields {
  timestamp?: string;
  level?: string;
  host?: string;
  component?: string;
}

const strongAt = (cls: number, k: number): boolean =>
  cls === TIME || cls === LEVEL || cls === BRACKET || (cls === COMPONENT && k > 0) || (cls === NUM && k === 0);

/** The header layout a sample of lines agrees on ('' when none). */
export function inferLayout(lines: readonly string[]): string {
  const sample = lines.map((l) => signature(l, MAX_FIELDS));
  const n = sample.length;
  if (n === 0) return '';
  let alive = sample.map((_, i) => i);
  let layout = '';
  let strong = false;
  let closing = false;
  for (let k = 0; k < MAX_FIELDS; k++) {
    const counts = new Map<number, number>();
    for (const i of alive) {
      const s = sample[i] ?? '';
      if (s.length <= k) continue;
      const f = family(s.charCodeAt(k));
      counts.set(f, (counts.get(f) ?? 0) + 1);
    }
    let best = -1;
    let bestCount = 0;
    for (const [f, c] of counts) if (c > bestCount) [best, bestCount] = [f, c];
    // Relative to the whole sample: lines that left the layout earlier count against it.
    if (bestCount < AGREE * n) break;
    alive = alive.filter((i) => (sample[i] ?? '').length > k && family((sample[i] ?? '').charCodeAt(k)) === best);
    const cls = dominantClass(alive.map((i) => sample[i] ?? ''), k);
    // After a separator that follows a timestamp or level (`ts - INFO [x] - msg`) only fields of
    // a header's own kinds continue it: the message starts with words.
    if (closing && (cls === WORD || cls === IDENT)) break;
    layout += String.fromCharCode(cls);
    if (strongAt(cls, k)) strong = true;
    if (cls === SEP && strong) closing = true;
    // A component closes the header.
    if (cls === COMPONENT && k > 0) break;
  }
  return strong ? trimWords(lines, confirmRuns(lines, layout)) : '';
}

const isWordClass = (cls: number): boolean => cls === WORD || cls === IDENT;

/**
 * Cuts the layout after the first run of words or identifiers that no header field confirms. A
 * run is header when a timestamp, level, bracket, component or separator follows it, numbers
 * (pids) in between allowed (`RAS KERNEL INFO`, `host 42 app:`, `prog - msg`), or, for a single
 * field, when a number follows it in a `|`-delimited header (`ts|Step_LSC|3002|msg`). A source whose lines are all one event repeats its message's
 * words and numbers at fixed positions too, so anything less leaves those words in the message.
 */
function confirmRuns(lines: readonly string[], layout: string): string {
  let k = 0;
  while (k < layout.length) {
    if (!isWordClass(layout.charCodeAt(k))) {
      k++;
      continue;
    }
    let end = k;
    while (end < layout.length && isWordClass(layout.charCodeAt(end))) end++;
    if (end === layout.length) return layout;
    // Look past pids and further words (three words at most in all) for what closes the header.
    let j = end;
    let words = end - k;
    let sep = false;
    for (; j < layout.length && words <= 3; j++) {
      const c = layout.charCodeAt(j);
      if (c === SEP) sep = true;
      else if (isWordClass(c)) words++;
      else if (c !== NUM) break;
    }
    const c = layout.charCodeAt(j);
    const strongAfter = words <= 3 && (c === TIME || c === LEVEL || c === BRACKET || c === COMPONENT || sep);
    const piped = end - k === 1 && layout.charCodeAt(end) === NUM && pipedAfter(lines, layout.slice(0, end + 1));
    if (!(strongAfter || piped)) return layout.slice(0, end);
    k = end;
  }
  return layout;
}

/** Whether nearly every line that fits `layout` has a `|` right after its last field. */
function pipedAfter(lines: readonly string[], layout: string): boolean {
  let fit = 0;
  let piped = 0;
  for (const line of lines) {
    const spans: number[] = [];
    if (messageStart(line, layout, spans, true) < 0) continue;
    fit++;
    if (line.charCodeAt(spans[spans.length - 1] ?? 0) === 124) piped++;
  }
  return fit > 0 && piped >= AGREE * fit;
}

/**
 * Drops trailing word and identifier positions unless the first of them looks like a header field:
 * it carries a number in nearly every line (a node id, an address, a numbered host), or it takes
 * a few values independently of the word after it. A host name combines with every message; a
 * message's first word mostly decides its second.
 */
function trimWords(lines: readonly string[], layout: string): string {
  let end = layout.length;
  const isWord = (k: number): boolean => layout.charCodeAt(k) === WORD || layout.charCodeAt(k) === IDENT;
  while (end > 0 && isWord(end - 1)) end--;
  if (end === layout.length || end === 0) return layout.slice(0, end);
  const pairs = fieldPairs(lines, layout.slice(0, end));
  const here = new Set(pairs.map((p) => p[0]));
  const next = new Set(pairs.map((p) => p[1]));
  const both = new Set(pairs.map((p) => `${p[0]}\u0000${p[1]}`));
  const numbered = pairs.filter((p) => /\d/.test(p[0])).length >= AGREE * pairs.length;
  const independent = here.size >= 2 && here.size <= Math.max(4, lines.length / 3) &&
    both.size >= 1.5 * Math.max(here.size, next.size);
  const keep = (numbered && layout.charCodeAt(end) === IDENT) || independent;
  return layout.slice(0, keep ? end + 1 : end);
}

/** The two fields after `head` in each line that fits it. */
function fieldPairs(lines: readonly string[], head: string): [string, string][] {
  const out: [string, string][] = [];
  for (const line of lines) {
    const spans: number[] = [];
    if (messageStart(line, head, spans, true) < 0) continue;
    const a = nextField(line, spans.length > 0 ? (spans[spans.length - 1] ?? 0) : 0);
    const b = nextField(line, a[1]);
    out.push([line.slice(a[0], a[1]), line.slice(b[0], b[1])]);
  }
  return out;
}

function nextField(line: string, from: number): [number, number] {
  let pos = skipBlanks(line, from);
  if (line.charCodeAt(pos) === 124) pos = skipBlanks(line, pos + 1);
  return pos < line.length ? [pos, fieldEnd(line, pos)] : [pos, pos];
}

function dominantClass(alive: readonly string[], k: number): number {
  const counts = new Map<number, number>();
  for (const s of alive) counts.set(s.charCodeAt(k), (counts.get(s.charCodeAt(k)) ?? 0) + 1);
  let best = WORD;
  let bestCount = 0;
  for (const [c, m] of counts) if (m > bestCount) [best, bestCount] = [c, m];
  return best;
}

/**
 * Where the message starts in `line` under `layout` (0 when the line does not fit it). Spans of
 * the header fields go to `spans` (start, end pairs) when given.
 */
export function messageStart(line: string, layout: string, spans?: number[], raw = false): number {
  let pos = skipBlanks(line, 0);
  for (let k = 0; k < layout.length; k++) {
    if (line.charCodeAt(pos) === 124) pos = skipBlanks(line, pos + 1);
    if (pos >= line.length) return raw ? -1 : 0;
    const end = fieldEnd(line, pos);
    if (family(classify(line, pos, end)) !== family(layout.charCodeAt(k))) return raw ? -1 : 0;
    spans?.push(pos, end);
    pos = skipBlanks(line, end);
  }
  if (layout.length === 0 || raw) return pos;
  // A separator right after the header (`] - msg`, `: msg`, `|msg`) belongs to it.
  while (pos < line.length) {
    const c = line.charCodeAt(pos);
    if (c !== 45 && c !== 58 && c !== 124) break;
    const next = skipBlanks(line, pos + 1);
    if (next === pos + 1 && c !== 124) break;
    pos = next;
  }
  return pos;
}

/** The timestamp, level, host and component a header carried, from its field spans (messageStart's). */
export function headerFields(line: string, layout: string, spans: readonly number[]): HeaderFields {
  const out: HeaderFields = {};
  let timeFrom = -1;
  let timeTo = -1;
  for (let k = 0; k < layout.length; k++) {
    const a = spans[2 * k] ?? 0;
    const b = spans[2 * k + 1] ?? 0;
    const cls = layout.charCodeAt(k);
    const text = line.slice(a, b);
    const inner = cls === BRACKET ? text.replace(/^[[(<{]|[\])>}]:?$/g, '').trim() : text;
    if ((cls === TIME || (cls === NUM && timeFrom >= 0 && timeTo === spans[2 * k - 1])) && (timeTo < 0 || timeTo === spans[2 * k - 1])) {
      if (timeFrom < 0) timeFrom = a;
      timeTo = b;
    } else if (cls === BRACKET && timeFrom < 0 && /\d:\d\d/.test(inner)) {
      [timeFrom, timeTo] = [a + 1, b - 1];
    } else if (out.level === undefined && (cls === LEVEL || (cls === BRACKET && classify(inner, 0, inner.length) === LEVEL))) {
      out.level = inner;
    } else if (cls === COMPONENT) {
      out.component = text.slice(0, -1).replace(/[[(].*$/, '');
    } else if ((cls === IDENT || cls === WORD) && timeFrom >= 0 && out.host === undefined && out.level === undefined) {
      out.host = text;
    } else if (cls === IDENT && out.component === undefined) {
      out.component = text;
    }
  }
  if (timeFrom < 0) [timeFrom, timeTo] = compactDateTime(line, layout, spans);
  if (timeFrom >= 0) out.timestamp = line.slice(timeFrom, timeTo).replace(/,$/, '');
  return out;
}

/**
 * A date and a clock written as two bare numbers opening the line (`081109 203615`, yyMMdd HHmmss;
 * `20240301 1015`): each is classed a number, so no field is time-like. Six or eight digits then
 * four or six digits read as one; anything else (a pid, a sequence number) is not a time.
 */
function compactDateTime(line: string, layout: string, spans: readonly number[]): [number, number] {
  if (layout.charCodeAt(0) !== NUM || layout.charCodeAt(1) !== NUM) return [-1, -1];
  const date = line.slice(spans[0] ?? 0, spans[1] ?? 0);
  const clock = line.slice(spans[2] ?? 0, spans[3] ?? 0);
  return /^(\d{6}|\d{8})$/.test(date) && /^(\d{4}|\d{6})$/.test(clock) ? [spans[0] ?? 0, spans[3] ?? 0] : [-1, -1];
}
