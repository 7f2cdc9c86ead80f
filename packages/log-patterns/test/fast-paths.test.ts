// The miner's per-line shortcuts must answer exactly as the general code they stand in for.
import { describe, expect, it } from 'vitest';
import { classify, LEVEL, TIME, WORD } from '../src/fields.js';
import { tokenParams } from '../src/params.js';

describe('classify by letter code', () => {
  const cls = (w: string): number => classify(w, 0, w.length);

  it('finds short levels and calendar words in any case', () => {
    for (const w of ['INFO', 'info', 'Warn', 'err', 'ERROR', 'fatal', 'notice', 'crit', 'panic']) expect(cls(w)).toBe(LEVEL);
    for (const w of ['Jun', 'jun', 'SEPT', 'Mon', 'monday', 'MARCH', 'july']) expect(cls(w)).toBe(TIME);
  });

  it('keeps longer words on the string path', () => {
    for (const w of ['warning', 'critical', 'VERBOSE', 'informational']) expect(cls(w)).toBe(LEVEL);
    for (const w of ['january', 'September', 'wednesday']) expect(cls(w)).toBe(TIME);
  });

  it('leaves other words alone, including near misses of the codes', () => {
    for (const w of ['in', 'ju', 'inform', 'errs', 'juneau', 'mond', 'host', 'ab', 'zzzzzz', 'Accepted']) expect(cls(w)).toBe(WORD);
  });
});

describe('tokenParams with split templates remembered', () => {
  it('gives the same values on every call', () => {
    for (let k = 0; k < 3; k++) {
      const out: string[] = [];
      expect(tokenParams('session:<*>', 'session:ab12', out)).toBe(true);
      expect(tokenParams('<*>ms', '45ms', out)).toBe(true);
      expect(tokenParams('a<*>b<*>c', 'a1b2c', out)).toBe(true);
      expect(out).toEqual(['ab12', '45', '1', '2']);
      expect(tokenParams('session:<*>', 'token:ab12', [])).toBe(false);
    }
  });

  it('stays correct past the bound of remembered templates', () => {
    for (let i = 0; i < 5000; i++) {
      const out: string[] = [];
      expect(tokenParams(`k${i}=<*>`, `k${i}=${i}`, out)).toBe(true);
      expect(out).toEqual([String(i)]);
    }
  });
});
