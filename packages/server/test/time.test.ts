import { describe, expect, it } from 'vitest';
import { parseTimestamp } from '../src/lib/time.js';

describe('parseTimestamp', () => {
  it('refuses days that do not exist instead of rolling them into the next month', () => {
    for (const bad of ['2026-02-30T00:00:00Z', '2027-02-29 10:00:00', '2026-04-31T10:00:00+08:00', '2026-13-01T00:00:00Z', '2026-00-10T00:00:00Z']) {
      expect(parseTimestamp(bad), bad).toBeUndefined();
    }
  });

  it('reads real days, leap days and sub-millisecond fractions', () => {
    expect(parseTimestamp('2028-02-29T00:00:00Z')).toBe(Date.UTC(2028, 1, 29));
    expect(parseTimestamp('2026-12-31 23:59:59,123456+08:00')).toBeCloseTo(Date.UTC(2026, 11, 31, 15, 59, 59, 123) + 0.456, 3);
  });
});
