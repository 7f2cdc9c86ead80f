// Splits a message into tokens and masks them. Both the masked form (what clustering compares) and
// the raw text (what parameter extraction returns) are kept, position by position.
import { namedDateEnd } from './header.js';
import { ALL_MASKS, WILDCARD, maskFlags, maskToken } from './masks.js';
import type { MaskFlags } from './masks.js';
import type { CustomMask, MaskOptions } from './types.js';

export interface Tokens {
  masked: string[];
  raw: string[];
}

/** Masking settings compiled once per miner rather than per line. */
export interface CompiledMasks {
  flags: MaskFlags;
  custom: RegExp[];
}

/** Compiles mask options (defaults: every built-in, no custom mask). */
export function compileMasks(options: MaskOptions = {}): CompiledMasks {
  const custom = (options.custom ?? []).map((m: CustomMask) =>
    m.pattern.global ? m.pattern : new RegExp(m.pattern.source, m.pattern.flags + 'g'),
  );
  return { flags: maskFlags(options.builtins ?? ALL_MASKS), custom };
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10 || c === 12 || c === 11;
}

// A quote opening a token closes at the same quote followed by whitespace or punctuation;
// the whole quoted text is one value even when it contains spaces (`'no such file'`).
function quotedEnd(text: string, start: number): number {
  const q = text.charCodeAt(start);
  const limit = Math.min(text.length, start + 512);
  for (let i = start + 1; i < limit; i++) {
    if (text.charCodeAt(i) !== q) continue;
    const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 32;
    // whitespace or , ; . : ) ] }
    if (isSpace(next) || next === 44 || next === 59 || next === 46 || next === 58 ||
      next === 41 || next === 93 || next === 125) {
      return i + 1;
    }
  }
  return -1;
}

// Character classes for the token scan, looked up once per character.
const SPACE = 1;
const DIGIT = 2;
/** A character some mask looks at: digits, : / @ = \\ < and the dots of a host name */
const MAY_MASK = 4;
/** Digits and the characters digit masking folds between numbers: . : , _ / - */
const NUMERIC = 8;
const CLASS = new Uint8Array(128);
for (const c of [9, 10, 11, 12, 13, 32]) CLASS[c] = SPACE;
for (let c = 48; c <= 57; c++) CLASS[c] = DIGIT | MAY_MASK | NUMERIC;
for (const ch of ':/@=\\<.') CLASS[ch.charCodeAt(0)] = (CLASS[ch.charCodeAt(0)] ?? 0) | MAY_MASK;
for (const ch of '.:,_/-') CLASS[ch.charCodeAt(0)] = (CLASS[ch.charCodeAt(0)] ?? 0) | NUMERIC;

function classOf(c: number): number {
  return c < 128 ? (CLASS[c] ?? 0) : 0;
}

function wordEnd(text: string, start: number): number {
  let i = start;
  while (i < text.length && !isSpace(text.charCodeAt(i))) i++;
  return i;
}

function quotedToken(text: string, start: number, f: MaskFlags): [string, number] | null {
  const close = quotedEnd(text, start);
  if (close < 0) return null;
  const end = wordEnd(text, close);
  const q = text[start] ?? '';
  const tail = text.slice(close, end);
  return [q + WILDCARD + q + maskToken(tail, f), end];
}

// Size units only: a time unit stays a word of the template (`after <*> seconds`).
const UNITS = new Set('b kb mb gb tb pb kib mib gib tib byte bytes kbytes mbytes kbps mbps gbps'.split(' '));

function isCloserChar(c: number): boolean {
  return c === 44 || c === 59 || c === 46 || c === 41 || c === 93 || c === 125 || c === 58;
}

// End of a unit word right after a number ending at `end` (one space apart), or -1.
function unitEnd(text: string, end: number): number {
  if (text.charCodeAt(end) !== 32) return -1;
  const start = end + 1;
  // Every size unit starts with b, k, m, g, t or p: most words are refused on one character.
  const first = text.charCodeAt(start) | 32;
  if (first !== 98 && first !== 107 && first !== 109 && first !== 103 && first !== 116 && first !== 112) return -1;
  let stop = start;
  while (stop < text.length && !isSpace(text.charCodeAt(stop))) stop++;
  let core = stop;
  while (core > start && isCloserChar(text.charCodeAt(core - 1))) core--;
  if (core === start || core - start > 7) return -1;
  return UNITS.has(text.slice(start, core).toLowerCase()) ? core : -1;
}

/**
 * A size unit written apart from its number (`16.0 KB,`) belongs to the value: as a word of its
 * own it would split one event by unit (`384 B,` and `1.2 MB,`). Pushes the number and its unit
 * as one token and returns where it ends, or -1 when no unit follows.
 */
function withUnit(text: string, start: number, end: number, masked: string[], raw: string[]): number {
  const unit = unitEnd(text, end);
  if (unit < 0) return -1;
  let stop = unit;
  while (stop < text.length && !isSpace(text.charCodeAt(stop))) stop++;
  masked.push(WILDCARD + text.slice(unit, stop));
  raw.push(text.slice(start, stop));
  return stop;
}

/**
 * A token holding several masked parts is one compound value (`task_<*>_m_<*>`, `job_<*>-r-<*>`):
 * the letters between its numbers are part of the id, and kept as a word they would split one event
 * by id kind (`_m_` and `_r_`). Everything from the first masked part to the last becomes one `<*>`.
 */
function oneValue(token: string): string {
  // Two masked parts take six characters: shorter tokens (`<*>ms`, `(<*>`) skip the searches.
  if (token.length < 2 * WILDCARD.length) return token;
  const first = token.indexOf(WILDCARD);
  if (first < 0) return token;
  const last = token.lastIndexOf(WILDCARD);
  if (last === first) return token;
  // Only an id's own joiners between the parts: `a|b|c` or `x=1,y=2` are lists of values.
  if (!/^[\w.-]*$/.test(token.slice(first, last).replaceAll(WILDCARD, ''))) return token;
  return token.slice(0, first) + WILDCARD + token.slice(last + WILDCARD.length);
}

/** Tokenises a message (no header) and masks each token. */
export function tokenize(message: string, masks: CompiledMasks): Tokens {
  let text = message;
  for (const re of masks.custom) text = text.replace(re, WILDCARD);
  const masked: string[] = [];
  const raw: string[] = [];
  const f = masks.flags;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if ((classOf(c) & SPACE) !== 0) {
      i++;
      continue;
    }
    // A date written with words (`Sat Jun 18 02:08:11 2005`) spans several tokens; masked one by
    // one, its day and month names would split a template by weekday and month.
    if (f.timestamp && c >= 65 && c <= 90) {
      const dateEnd = namedDateEnd(text, i);
      if (dateEnd > 0) {
        masked.push(WILDCARD);
        raw.push(text.slice(i, dateEnd));
        i = dateEnd;
        continue;
      }
    }
    if (f.quoted && (c === 34 || c === 39)) {
      const q = quotedToken(text, i, f);
      if (q !== null) {
        masked.push(q[0]);
        raw.push(text.slice(i, q[1]));
        i = q[1];
        continue;
      }
    }
    // One scan finds the token's end, whether any mask could apply to it at all, and whether it
    // is a plain number-like run (`42`, `-7`, `10.0.0.1:80`, `12:30:45,120`) that masks to `<*>`.
    let end = i;
    let any = 0;
    let all = NUMERIC;
    while (end < text.length) {
      const k = classOf(text.charCodeAt(end));
      if ((k & SPACE) !== 0) break;
      any |= k;
      all &= k;
      end++;
    }
    const word = text.slice(i, end);
    let out = word;
    // Without a mask character (`<` among them) the word neither masks nor holds a `<*>`, so it
    // stays as it is: most words of a message end here.
    if ((any & MAY_MASK) !== 0) {
      const numeric = all !== 0 && f.digits && (classOf(text.charCodeAt(end - 1)) & DIGIT) !== 0 &&
        ((classOf(c) & DIGIT) !== 0 || (c === 45 && (classOf(text.charCodeAt(i + 1)) & DIGIT) !== 0));
      out = numeric ? WILDCARD : oneValue(maskToken(word, f));
    }
    const unit = out === WILDCARD && f.size ? withUnit(text, i, end, masked, raw) : -1;
    if (unit > 0) {
      i = unit;
      continue;
    }
    masked.push(out);
    raw.push(word);
    i = end;
  }
  return { masked, raw };
}

/** Masks variable values in a text with `<*>`, keeping its whitespace. */
export function mask(text: string, options?: MaskOptions): string {
  const compiled = compileMasks(options);
  let src = text;
  for (const re of compiled.custom) src = src.replace(re, WILDCARD);
  const { masked, raw } = tokenize(src, { flags: compiled.flags, custom: [] });
  let out = '';
  let pos = 0;
  for (let k = 0; k < raw.length; k++) {
    const r = raw[k] ?? '';
    const at = src.indexOf(r, pos);
    out += src.slice(pos, at) + (masked[k] ?? '');
    pos = at + r.length;
  }
  return out + src.slice(pos);
}
