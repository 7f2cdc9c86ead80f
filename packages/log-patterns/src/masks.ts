// Token-level masking. Each whitespace token is classified on its own, so the common case (a plain
// word) costs one character scan and no regex; regexes run only on tokens that contain digits or
// structure characters. This keeps masking within the miner's per-line budget.
import type { MaskName } from './types.js';

export const WILDCARD = '<*>';

/** Every built-in mask, in the order they are tried. */
export const ALL_MASKS: readonly MaskName[] = [
  'url', 'email', 'uuid', 'ipv6', 'ipv4', 'host', 'timestamp', 'hex', 'duration', 'size', 'number',
  'path', 'quoted', 'keyValue', 'digits',
];

export type MaskFlags = Readonly<Record<MaskName, boolean>>;

/** Turns a list of mask names into lookup flags. */
export function maskFlags(names: readonly MaskName[]): MaskFlags {
  const on = (n: MaskName): boolean => names.includes(n);
  // Spelled out (not built from entries) so the engine sees one fixed object shape on the hot path.
  return {
    url: on('url'), email: on('email'), uuid: on('uuid'), ipv6: on('ipv6'), ipv4: on('ipv4'), host: on('host'),
    timestamp: on('timestamp'), hex: on('hex'), duration: on('duration'), size: on('size'),
    number: on('number'), path: on('path'), quoted: on('quoted'), keyValue: on('keyValue'),
    digits: on('digits'),
  };
}

const URL_RE = /^[a-zA-Z][\w+.-]*:\/\/\S+$/;
const EMAIL_RE = /^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$/;
const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const IPV6_RE = /^\[?[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7}(?:%\w+)?\]?(?::\d{1,5})?$/;
const IPV4_RE = /^\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?(?:\/\d{1,2})?$/;
const TIME_RE =
  /^(?:\d{4}-\d{1,2}-\d{1,2}(?:[T_]\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?|\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?)$/;
const HEX_RE = /^(?:0[xX][0-9a-fA-F]+|[0-9a-fA-F]{8,})$/;
const DURATION_RE = /^[+-]?\d+(?:\.\d+)?(?:ns|us|µs|ms|s|sec|secs|m|min|mins|h|hr|hrs|d|days?)$/;
const SIZE_RE = /^\d+(?:\.\d+)?(?:[kKMGTPE]i?[bB]|[bB]|bytes?|[kKMGTP])$/;
const NUMBER_RE = /^[+-]?(?:\d+(?:[.,]\d+)*|\d*\.\d+)(?:[eE][+-]?\d+)?%?$/;
const PATH_RE = /^(?:\/|~\/|\.{1,2}\/|[A-Za-z]:\\)\S+$/;
const KEY_RE = /^[A-Za-z_][\w.-]*$/;
// A domain name: three or more lower-case labels ending in a 2-6 letter top-level label, with an
// optional port (`ns.example.com`, `proxy.cse.cuhk.edu.hk:5070`). Class names (`org.apache.Foo`)
// have a capitalised last label and stay words.
const HOST_RE = /^[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)+\.[a-z]{2,6}(?::\d{1,5})?$/;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

// Punctuation that wraps a value without being part of it: `[10.0.0.1]`, `(uid=0)`, `55904.`.
function isOpener(c: number): boolean {
  return c === 40 || c === 91 || c === 123 || c === 34 || c === 39; // ( [ { " '
}
function isCloser(c: number): boolean {
  // ) ] } , ; . ! ? " ' :
  return c === 41 || c === 93 || c === 125 || c === 44 || c === 59 || c === 46 || c === 33 ||
    c === 63 || c === 34 || c === 39 || c === 58;
}

// Separators inside a compound token; digit runs between them are masked one by one so that
// `attempt_1445_0020_m_000009_0` keeps its literal `m` but loses its numbers: any ASCII character
// but a digit or a letter. Joiners are separators that only join numbers: `<*>.<*>:<*>` (an
// address) collapses to one `<*>`. Both are read from a table: the compound-token scans ask for
// every character.
const SEPARATOR = 1;
const JOINER = 2;
const KIND = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if (!isDigit(c) && !isLetter(c)) KIND[c] = SEPARATOR;
}
for (const ch of '.:_-/#,+@') KIND[ch.charCodeAt(0)] = SEPARATOR | JOINER;

function isSeparator(c: number): boolean {
  return c < 128 && ((KIND[c] ?? 0) & SEPARATOR) !== 0;
}
function isJoiner(c: number): boolean {
  return c < 128 && ((KIND[c] ?? 0) & JOINER) !== 0;
}

// A path opens with `/`, `~/`, `./`, `../` or a drive letter and colon (`C:\`).
function pathStart(core: string): boolean {
  const c = core.charCodeAt(0);
  if (c === 47 || c === 126 || c === 46) return true;
  return isLetter(c) && core.charCodeAt(1) === 58;
}

const ALL_NUMERIC = 0;
const WORDY = 1;
const OTHER = 2;

// What one scan of a core finds, as bits of a number (no allocation, safe under recursion): the
// characters the masks' guards ask about, and the segment shape in the bits from SHAPE up.
const HAS_DIGIT = 1;
const COLON = 2;
const TWO_COLONS = 4;
const TWO_DOTS = 8;
const AT = 16;
const SLASH = 32;
const LT = 64;
const EQUALS = 128;
const DASH = 256;
const THREE_DOTS = 512;
const SHAPE = 10;

function separatorFact(c: number, facts: number): number {
  switch (c) {
    case 58: return facts | ((facts & COLON) !== 0 ? TWO_COLONS : COLON); // :
    case 64: return facts | AT;
    case 47: return facts | SLASH;
    case 60: return facts | LT;
    case 61: return facts | EQUALS;
    case 45: return facts | DASH;
    default: return facts;
  }
}

// Classifies a core by its separator-delimited segments. ALL_NUMERIC: every segment holds a digit
// and only joiners separate them (a leading minus is a sign), so maskDigitSegments returns a
// single `<*>`: the common case (`45ms`, `ssh2`, `0x1f`, `10.0.0.1:80`), decided without building
// a string. WORDY: some segment has no digit (or the core has none), so no numeric mask can match
// the whole core. The same scan records the facts above, so each guard below is a bit test
// instead of a search through the string.
function scanCore(core: string): number {
  let facts = 0;
  let dots = 0;
  let segmentDigit = false;
  let inSegment = false;
  let wordy = false;
  let shape = ALL_NUMERIC;
  for (let i = 0; i < core.length; i++) {
    const c = core.charCodeAt(i);
    if (!isSeparator(c)) {
      inSegment = true;
      if (isDigit(c)) segmentDigit = true;
      continue;
    }
    facts = separatorFact(c, facts);
    if (c === 46) {
      dots++;
      if (dots === 2) facts |= TWO_DOTS;
      else if (dots === 3) facts |= THREE_DOTS;
    }
    if (segmentDigit) facts |= HAS_DIGIT;
    else if (inSegment) wordy = true;
    if (!isJoiner(c) || (!inSegment && (i !== 0 || c !== 45))) shape = OTHER;
    inSegment = false;
    segmentDigit = false;
  }
  if (segmentDigit) facts |= HAS_DIGIT;
  else if (inSegment) wordy = true;
  if ((facts & HAS_DIGIT) === 0 || wordy) shape = WORDY;
  else if (!inSegment) shape = OTHER;
  return facts | (shape << SHAPE);
}

// Masks recognised by shape rather than by digits; each is guarded by a fact every match has, so
// the regex runs only on plausible tokens.
function shapedValue(core: string, facts: number, f: MaskFlags): boolean {
  if (f.url && (facts & COLON) !== 0 && (facts & SLASH) !== 0 && core.includes('://') && URL_RE.test(core)) return true;
  if (f.email && (facts & AT) !== 0 && EMAIL_RE.test(core)) return true;
  if (f.uuid && core.length === 36 && UUID_RE.test(core)) return true;
  if (f.ipv6 && (facts & TWO_COLONS) !== 0 && IPV6_RE.test(core)) return true;
  // A host name has at least two dots (three labels).
  if (f.host && core.length > 6 && (facts & TWO_DOTS) !== 0 && HOST_RE.test(core)) return true;
  return f.path && pathStart(core) && PATH_RE.test(core);
}

// Numeric masks, each guarded like shapedValue's: an address has three dots, a date or clock time
// a dash or a colon, a hex value eight characters or a 0x, a duration or size a unit letter last.
function numericValue(core: string, facts: number, f: MaskFlags): boolean {
  const unit = isLetter(core.charCodeAt(core.length - 1));
  const hex = core.length >= 8 || (core.charCodeAt(0) === 48 && (core.charCodeAt(1) | 32) === 120);
  return (
    (f.ipv4 && (facts & THREE_DOTS) !== 0 && IPV4_RE.test(core)) ||
    (f.timestamp && (facts & (COLON | DASH)) !== 0 && TIME_RE.test(core)) ||
    (f.hex && hex && HEX_RE.test(core)) ||
    (f.duration && unit && DURATION_RE.test(core)) ||
    (f.size && unit && SIZE_RE.test(core)) ||
    (f.number && NUMBER_RE.test(core))
  );
}

/** Masks every separator-delimited segment that contains a digit, collapsing adjacent masks. */
export function maskDigitSegments(core: string): string {
  let out = '';
  let i = 0;
  // Length of `out` right after the last emitted `<*>`, or -1 when other text followed it.
  let afterMask = -1;
  while (i < core.length) {
    const c = core.charCodeAt(i);
    if (c === 60 && core.startsWith(WILDCARD, i)) {
      out = appendMask(out, afterMask);
      afterMask = out.length;
      i += 3;
      continue;
    }
    if (isSeparator(c)) {
      out += core[i];
      if (afterMask >= 0 && !isJoiner(c)) afterMask = -1;
      i++;
      continue;
    }
    let j = i;
    let digit = false;
    while (j < core.length && !isSeparator(core.charCodeAt(j))) {
      if (isDigit(core.charCodeAt(j))) digit = true;
      j++;
    }
    if (digit) {
      out = appendMask(out, afterMask);
      afterMask = out.length;
    } else {
      out += core.slice(i, j);
      afterMask = -1;
    }
    i = j;
  }
  return out;
}

function appendMask(out: string, afterMask: number): string {
  // `<*>.<*>` becomes `<*>`: the joiners after the previous mask are dropped.
  if (afterMask >= 0) return out.slice(0, afterMask);
  // A minus directly before a number is its sign (`blk_-42` and `blk_42` share one template).
  // Every such minus goes, so masking the result again finds nothing left to remove.
  let n = out.length;
  while (n > 0 && out[n - 1] === '-' && (n === 1 || isSeparator(out.charCodeAt(n - 2)))) n--;
  return out.slice(0, n) + WILDCARD;
}

function maskCore(core: string, f: MaskFlags): string {
  if (core === WILDCARD) return core;
  const facts = scanCore(core);
  const shape = facts >> SHAPE;
  if (f.digits && shape === ALL_NUMERIC) return WILDCARD;
  if (shapedValue(core, facts, f)) return WILDCARD;
  const eq = (facts & EQUALS) !== 0 ? core.indexOf('=') : -1;
  if (eq > 0 && eq < core.length - 1 && KEY_RE.test(core.slice(0, eq))) {
    // With 'keyValue' every value goes; without it the value is masked by its own shape
    // (`request_id=<uuid>` and `uid=0` mask, `state=RUNNING` stays a word).
    if (f.keyValue) return core.slice(0, eq + 1) + WILDCARD;
    const value = core.slice(eq + 1);
    const masked = maskCore(value, f);
    if (masked !== value) return core.slice(0, eq + 1) + masked;
  }
  if (shape !== WORDY && numericValue(core, facts, f)) return WILDCARD;
  const hasMask = (facts & LT) !== 0 && core.includes(WILDCARD);
  if (f.digits && ((facts & HAS_DIGIT) !== 0 || hasMask)) return maskDigitSegments(core);
  return core;
}

// Most tokens are plain words; one scan proves that no mask can apply to them.
function isPlain(token: string): boolean {
  let dots = 0;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    // digits, : / @ = \ <
    if (isDigit(c) || c === 58 || c === 47 || c === 64 || c === 61 || c === 92 || c === 60) {
      return false;
    }
    // two dots: maybe a host name
    if (c === 46 && ++dots === 2) return false;
  }
  return true;
}

/** Masks one whitespace-free token, keeping wrapping punctuation such as `[...]` or a final `.`. */
export function maskToken(token: string, f: MaskFlags): string {
  if (isPlain(token)) return token;
  let start = 0;
  let end = token.length;
  while (start < end && isOpener(token.charCodeAt(start))) start++;
  while (end > start && isCloser(token.charCodeAt(end - 1))) end--;
  if (start === end) return token;
  const core = token.slice(start, end);
  const masked = maskCore(core, f);
  if (masked === core) return token;
  return token.slice(0, start) + masked + token.slice(end);
}
