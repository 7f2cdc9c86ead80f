// Strips the header (timestamp, level, pid, thread, component) that log frameworks put in front of
// the message. Left in place, varying header parts such as thread names (`[IPC Server handler 7]`)
// split one template into many, and Drain's leading-token tree would branch on timestamps.
// The rules are generic shapes, not per-format grammars: a header is a run of timestamp, level,
// number, separator and bracket tokens, optionally closed by a `component:` token.

const MON = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*';
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*';
const TIME = String.raw`\d{1,2}:\d{1,2}(?::\d{1,2})?(?:[.,:]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?`;
const END = String.raw`(?=[\s|\]),]|$)`;
// Sticky, so each attempt costs one anchored match at the scan position. Split by first character
// so a word costs at most one attempt.
const NAMED_TIMESTAMP = new RegExp(
  `(?:${DAY},? )?${MON} +\\d{1,2}(?:,? \\d{4})? ${TIME}(?: \\d{4})?${END}`,
  'y',
);
const TIMESTAMP = new RegExp(
  [
    String.raw`\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:[T _-]${TIME})?`,
    String.raw`\d{8}[T _-]${TIME}`,
    String.raw`\d{1,2}/\d{1,2}/\d{2,4}(?: ${TIME})?`,
    `\\d{1,2}/${MON}/\\d{4}:${TIME}(?: [+-]\\d{4})?`,
    TIME,
  ]
    .map((alt) => `(?:${alt})${END}`)
    .join('|'),
  'y',
);
const TIME_INSIDE = /\d{1,2}:\d{2}:\d{2}|^\s*\d+(?:\.\d+)?\s*$/;
const LEVEL_WORDS = [
  'trace', 'debug', 'info', 'notice', 'warn', 'warning', 'error', 'err', 'fatal', 'critical',
  'crit', 'alert', 'emerg', 'severe', 'fine', 'finer', 'finest', 'verbose',
];
const LEVELS = new Set(LEVEL_WORDS);
// Bare levels are all lower or all upper case (a capitalised "Error" starts a message instead);
// holding both spellings answers the common case with one lookup and no case conversion.
const BARE_LEVELS = new Set([...LEVEL_WORDS, ...LEVEL_WORDS.map((w) => w.toUpperCase())]);
const SEPARATOR = /^(?:-+|\||:|=+|>+)$/;
// A component (logger, class, program[pid]) closes the header: `dfs.DataNode$PacketResponder:`.
const COMPONENT = /^[\w.$/@#-]+(?:\([\w.$/@#:-]*\))?(?:\[[\w.$/@#:-]*\])?:$/;
const STRUCTURED = /[.$/[(@#_]/;

function isLevel(word: string, bracketed: boolean): boolean {
  if (word.length < 3 || word.length > 8) return false;
  return bracketed ? LEVELS.has(word.toLowerCase()) : BARE_LEVELS.has(word);
}

// A pid or counter: optional sign, then digits only.
function isNumber(line: string, start: number, end: number): boolean {
  let i = start;
  const c = line.charCodeAt(i);
  if (c === 43 || c === 45) i++;
  if (i === end) return false;
  for (; i < end; i++) {
    const d = line.charCodeAt(i);
    if (d < 48 || d > 57) return false;
  }
  return true;
}

function closeBracket(line: string, start: number): number {
  const open = line[start];
  const close = open === '[' ? ']' : open === '(' ? ')' : '>';
  let depth = 0;
  const limit = Math.min(line.length, start + 256);
  for (let i = start; i < limit; i++) {
    const c = line[i];
    if (c === open) depth++;
    else if (c === close && --depth === 0) return i + 1;
  }
  return -1;
}

function tokenEnd(line: string, start: number): number {
  let i = start;
  while (i < line.length) {
    const c = line.charCodeAt(i);
    if (c === 32 || c === 9 || c === 124) break; // space, tab, '|'
    i++;
  }
  return i;
}

function skipSpace(line: string, i: number): number {
  while (i < line.length && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
  return i;
}

interface ScanState {
  pos: number;
  /** End of the accepted header so far. */
  end: number;
  /** A timestamp or level was seen: only then are numbers, brackets and components header. */
  strong: boolean;
  /** The previous token was a syslog timestamp, so the next bare word is the host name. */
  afterSyslogTime: boolean;
  done: boolean;
}

function scanBracket(line: string, s: ScanState): boolean {
  const close = closeBracket(line, s.pos);
  if (close < 0) return false;
  if (!s.strong) {
    // Before a timestamp or level, only a bracketed level or time opens a header.
    const inner = line.slice(s.pos + 1, close - 1);
    if (!isLevel(inner.trim(), true) && !TIME_INSIDE.test(inner)) return false;
  }
  s.strong = true;
  s.pos = close;
  s.end = close;
  return true;
}

function colonFollows(line: string, at: number): boolean {
  const i = skipSpace(line, at);
  return i > at && line.charCodeAt(i) === 58 && (i + 1 === line.length || line.charCodeAt(i + 1) === 32);
}

function scanWord(line: string, s: ScanState): boolean {
  let stop = tokenEnd(line, s.pos);
  if (stop === s.pos) {
    // A '|' field separator.
    s.pos++;
    if (s.strong) s.end = s.pos;
    return true;
  }
  const word = line.slice(s.pos, stop);
  const colon = line.charCodeAt(stop - 1) === 58;
  const wasSyslog = s.afterSyslogTime;
  s.afterSyslogTime = false;
  const first = word.charCodeAt(0);
  const letter = (first >= 65 && first <= 90) || (first >= 97 && first <= 122);
  if (letter && isLevel(colon ? word.slice(0, -1) : word, false)) {
    s.strong = true;
  } else if (!letter && (isNumber(line, s.pos, stop) || SEPARATOR.test(word))) {
    // Pids and separators count only once a timestamp or level confirms this is a header.
  } else if (colon && s.strong && COMPONENT.test(word) && (wasSyslog || STRUCTURED.test(word))) {
    s.done = true;
  } else if (s.strong && !colon && STRUCTURED.test(word) && COMPONENT.test(word + ':') && colonFollows(line, stop)) {
    // `com.example.App : message` (Spring Boot puts the colon apart)
    s.done = true;
    stop = skipSpace(line, stop) + 1;
  } else if (wasSyslog && !colon) {
    s.afterSyslogTime = true; // host name; a `program[pid]:` may follow
  } else if (s.strong && line.charCodeAt(stop) === 124 && !word.includes(':')) {
    // a `|`-delimited header field such as a component name
  } else {
    return false;
  }
  s.pos = stop;
  if (s.strong) s.end = stop;
  return true;
}

// Month and day abbreviations as numbers, so a capitalised word is ruled out without a regex.
const NAME_KEYS = new Set(
  'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec Mon Tue Wed Thu Fri Sat Sun'
    .split(' ')
    .map((w) => (w.charCodeAt(0) << 16) | (w.charCodeAt(1) << 8) | w.charCodeAt(2)),
);

function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}

function timestampEnd(line: string, pos: number): number {
  const c = line.charCodeAt(pos);
  // Month and day names look like `Jun`: one capital, then lower case; `INFO` is not tried.
  const named = c >= 65 && c <= 90 && isLower(line.charCodeAt(pos + 1)) && isLower(line.charCodeAt(pos + 2));
  const re = c >= 48 && c <= 57 ? TIMESTAMP : named ? NAMED_TIMESTAMP : null;
  if (re === null) return -1;
  re.lastIndex = pos;
  return re.test(line) ? re.lastIndex : -1;
}

/** End of a `Sat Jun 18 02:08:11 2005`-style date starting at `pos`, or -1. */
export function namedDateEnd(text: string, pos: number): number {
  const key = (text.charCodeAt(pos) << 16) | (text.charCodeAt(pos + 1) << 8) | text.charCodeAt(pos + 2);
  if (!NAME_KEYS.has(key)) return -1;
  NAMED_TIMESTAMP.lastIndex = pos;
  return NAMED_TIMESTAMP.test(text) ? NAMED_TIMESTAMP.lastIndex : -1;
}

function scanStep(line: string, s: ScanState): boolean {
  const end = timestampEnd(line, s.pos);
  if (end > 0) {
    const c = line.charCodeAt(s.pos);
    s.afterSyslogTime = c >= 65 && c <= 90;
    s.strong = true;
    s.pos = s.end = end;
    return true;
  }
  const c = line[s.pos];
  if (c === '[' || c === '<') return scanBracket(line, s);
  return scanWord(line, s);
}

/** Offset where the message starts after a leading log header (0 when none is recognised). */
export function headerLength(line: string): number {
  const s: ScanState = { pos: 0, end: 0, strong: false, afterSyslogTime: false, done: false };
  for (let step = 0; step < 12 && !s.done; step++) {
    s.pos = skipSpace(line, s.pos);
    if (s.pos >= line.length || !scanStep(line, s)) break;
  }
  if (!s.strong) return 0;
  let end = skipSpace(line, s.end);
  // A separator right after the header (`] - msg`, `: msg`) belongs to the header too.
  while (end < line.length && (line[end] === '-' || line[end] === ':' || line[end] === '|')) {
    const next = skipSpace(line, end + 1);
    if (next === end + 1 && line[end] !== '|') break;
    end = next;
  }
  return end;
}

/** The message part of a log line, without its header. */
export function stripHeader(line: string): string {
  const n = headerLength(line);
  return n === 0 ? line : line.slice(n);
}
