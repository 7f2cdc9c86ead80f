// Leading fields of a log line and the shape class of each. Header inference (layout.ts) learns
// which positions are header from these classes; nothing here knows any particular log format.

/** Time-like: dates, clock times, epoch seconds or millis, month and weekday names. */
export const TIME = 84; // 'T'
/** A plain integer short of an epoch: pid, thread id, sequence number, compact date. */
export const NUM = 78; // 'N'
/** A severity word: `INFO`, `warning`, `E`. */
export const LEVEL = 76; // 'L'
/** A bracketed group: `[main]`, `(pid 7)`, `<13>`, `{ctx}`. */
export const BRACKET = 66; // 'B'
/** A word closed by a colon: `sshd[42]:`, `com.example.App:`: a component that ends a header. */
export const COMPONENT = 67; // 'C'
/** A separator token: `-`, `|`, `>>`. */
export const SEP = 83; // 'S'
/** An identifier with structure (digits, dots, dashes): a host, node id, class or file name. */
export const IDENT = 72; // 'H'
/** A plain word. */
export const WORD = 87; // 'W'

/** Classes a position may mix and still be one field (a `-` or an alert word in one column). */
export function family(cls: number): number {
  if (cls === NUM) return TIME;
  if (cls === IDENT || cls === SEP || cls === LEVEL) return WORD;
  return cls;
}

const LEVEL_WORDS = new Set(
  ('trace debug info information informational notice warn warning error err fatal critical crit ' +
    'alert emerg emergency severe fine finer finest verbose panic')
    .split(' '),
);
// One-letter levels (Android, glog): upper case only, so a lone `a` or `I` in prose is rare.
const LETTER_LEVELS = new Set(['T', 'D', 'I', 'W', 'E', 'F', 'C', 'V', 'N', 'A', 'S']);
const CALENDAR = new Set(
  ('jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july ' +
    'august september october november december mon tue wed thu fri sat sun monday tuesday ' +
    'wednesday thursday friday saturday sunday')
    .split(' '),
);

/** Letters a word may have to be looked up by its letter code (5 bits each: a small integer). */
const CODE_LETTERS = 6;

/** The case-folded letters of `line[start, end)` (letters only, at most CODE_LETTERS) as one number. */
function letterCode(line: string, start: number, end: number): number {
  let code = 0;
  for (let i = start; i < end; i++) code = code * 32 + ((line.charCodeAt(i) | 32) - 96);
  return code;
}

function wordCode(w: string): number {
  return letterCode(w, 0, w.length);
}

// Short level and calendar words by letter code, so the header fields read on every line (`INFO`,
// `Jun`) are recognised without slicing and lower-casing them. Longer words take the string sets.
const SHORT_LEVELS = new Set([...LEVEL_WORDS].filter((w) => w.length <= CODE_LETTERS).map(wordCode));
const SHORT_CALENDAR = new Set([...CALENDAR].filter((w) => w.length <= CODE_LETTERS).map(wordCode));

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

// Characters a date or time is written with besides digits (- / . : , T Z + _), and those a
// separator field is made of (- | : = > * # ~). Looked up in a table: every header field of every
// line is scanned for them.
const TIME_CHAR = 1;
const SEP_CHAR = 2;
const CHAR_KIND = new Uint8Array(128);
for (let c = 48; c <= 57; c++) CHAR_KIND[c] = TIME_CHAR;
for (const ch of '-/.:,TZ+_') CHAR_KIND[ch.charCodeAt(0)] = TIME_CHAR;
for (const ch of '-|:=>*#~') CHAR_KIND[ch.charCodeAt(0)] = (CHAR_KIND[ch.charCodeAt(0)] ?? 0) | SEP_CHAR;

function isTimeChar(c: number): boolean {
  return c < 128 && ((CHAR_KIND[c] ?? 0) & TIME_CHAR) !== 0;
}

function isSepChar(c: number): boolean {
  return c < 128 && ((CHAR_KIND[c] ?? 0) & SEP_CHAR) !== 0;
}

// Four dot-separated numbers: an address (a host), not a date.
function isIpv4(line: string, start: number, end: number): boolean {
  let dots = 0;
  for (let i = start; i < end; i++) {
    const c = line.charCodeAt(i);
    if (c === 46) dots++;
    else if (c === 58) return dots === 3;
    else if (!isDigit(c)) return false;
  }
  return dots === 3;
}

function numericClass(line: string, start: number, end: number): number {
  let digits = 0;
  let seps = 0;
  // `#1234`: a sequence number.
  if (line.charCodeAt(start) === 35 && end - start > 1) start++;
  for (let i = start; i < end; i++) {
    const c = line.charCodeAt(i);
    if (isDigit(c)) digits++;
    else if (isTimeChar(c)) seps++;
    else return -1;
  }
  if (digits === 0) return -1;
  if (seps === 0) return digits >= 9 ? TIME : NUM;
  return isIpv4(line, start, end) ? IDENT : TIME;
}

function wordClass(line: string, start: number, end: number): number {
  let structured = false;
  let letters = true;
  for (let i = start; i < end; i++) {
    const c = line.charCodeAt(i);
    if (!isLetter(c)) {
      letters = false;
      if (isDigit(c) || c === 46 || c === 45 || c === 95 || c === 64 || c === 47 || c === 36) structured = true;
    }
  }
  if (letters) {
    const n = end - start;
    if (n === 1) return LETTER_LEVELS.has(line[start] ?? '') ? LEVEL : WORD;
    if (n <= CODE_LETTERS) {
      const code = letterCode(line, start, end);
      if (SHORT_LEVELS.has(code)) return LEVEL;
      return n >= 3 && SHORT_CALENDAR.has(code) ? TIME : WORD;
    }
    const w = line.slice(start, end).toLowerCase();
    if (LEVEL_WORDS.has(w)) return LEVEL;
    if (n >= 3 && n <= 9 && CALENDAR.has(w)) return TIME;
    return WORD;
  }
  return structured ? IDENT : WORD;
}

/** The shape class of the word `line[start, end)` (no whitespace inside). */
export function classify(line: string, start: number, end: number): number {
  const first = line.charCodeAt(start);
  if (first === 91 || first === 40 || first === 60 || first === 123) return BRACKET;
  let e = end;
  const last = line.charCodeAt(e - 1);
  // `sshd[42]:`, `HttpServer2:` close a header; a colon after a time belongs to it (`10:00:01:`).
  if (last === 58 && e - start > 1 && numericClass(line, start, e - 1) < 0) return COMPONENT;
  while (e > start + 1 && (line.charCodeAt(e - 1) === 44 || line.charCodeAt(e - 1) === 58 || line.charCodeAt(e - 1) === 59)) e--;
  let sep = true;
  for (let i = start; i < e && sep; i++) sep = isSepChar(line.charCodeAt(i));
  if (sep) return SEP;
  const n = numericClass(line, start, e);
  return n >= 0 ? n : wordClass(line, start, e);
}

/** End of the bracketed group opening at `start` (nesting allowed), or -1 past 256 characters. */
function closeBracket(line: string, start: number): number {
  const open = line.charCodeAt(start);
  const close = open === 91 ? 93 : open === 40 ? 41 : open === 60 ? 62 : 125;
  let depth = 0;
  const limit = Math.min(line.length, start + 256);
  for (let i = start; i < limit; i++) {
    const c = line.charCodeAt(i);
    if (c === open) depth++;
    else if (c === close && --depth === 0) return i + 1;
  }
  return -1;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/** Skips blanks from `i`. */
export function skipBlanks(line: string, i: number): number {
  while (i < line.length && isBlank(line.charCodeAt(i))) i++;
  return i;
}

/**
 * End of the field starting at `start`: a bracketed group (with what sticks to it, `[42]:`), or
 * a word up to a blank or a `|` field separator.
 */
export function fieldEnd(line: string, start: number): number {
  const c = line.charCodeAt(start);
  let i = start;
  if (c === 91 || c === 40 || c === 60 || c === 123) {
    const close = closeBracket(line, start);
    if (close > 0) i = close;
  }
  while (i < line.length) {
    const k = line.charCodeAt(i);
    if (isBlank(k) || k === 124) break;
    i++;
  }
  return i === start ? start + 1 : i;
}

/** The class signature of a line's first `max` fields, one character per field. */
export function signature(line: string, max: number): string {
  let out = '';
  let pos = skipBlanks(line, 0);
  for (let k = 0; k < max && pos < line.length; k++) {
    if (line.charCodeAt(pos) === 124) {
      pos = skipBlanks(line, pos + 1);
      if (pos >= line.length) break;
    }
    const end = fieldEnd(line, pos);
    out += String.fromCharCode(classify(line, pos, end));
    pos = skipBlanks(line, end);
  }
  return out;
}
