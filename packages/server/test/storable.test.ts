import { describe, expect, it } from 'vitest';
import { unstorable } from '../src/lib/storable.js';

describe('unstorable', () => {
  it('names the first field PostgreSQL could not store, with why', () => {
    expect(unstorable({ a: 1, b: { c: ['ok', 'x\u0000y'] } })).toEqual({ field: 'b/c/1', reason: 'holds a NUL character, which cannot be stored' });
    expect(unstorable({ n: Infinity })).toEqual({ field: 'n', reason: 'must be a finite number' });
    expect(unstorable({ n: -Infinity })?.field).toBe('n');
    expect(unstorable({ n: Number.NaN })?.field).toBe('n');
    expect(unstorable({ s: 'a\udc00' })?.reason).toContain('unpaired');
    expect(unstorable({ s: '\ud800' })?.reason).toContain('unpaired');
    expect(unstorable({ ['k\u0000']: 1 })).toEqual({ field: 'k\u0000', reason: 'its name holds a NUL character, which cannot be stored' });
  });

  it('passes what can be stored: paired surrogates, CJK, big finite numbers', () => {
    expect(unstorable({ s: '😀 数据库 é', n: 1e308, list: [null, true, 0, -0, ''] })).toBeNull();
    expect(unstorable('plain')).toBeNull();
    expect(unstorable(null)).toBeNull();
  });
});
