// Splits a message into tokens and masks them. Both the masked form (what clustering compares) and
// the raw text (what parameter extraction returns) are kept, position by position.
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
    if (isSpace(c)) {
      i++;
      continue;
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
    const end = wordEnd(text, i);
    const word = text.slice(i, end);
    masked.push(maskToken(word, f));
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
