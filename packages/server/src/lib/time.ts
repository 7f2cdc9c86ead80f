/**
 * Reads an event timestamp as epoch milliseconds (fractional: microseconds survive).
 * Numbers are told apart by magnitude: seconds, milliseconds, microseconds or nanoseconds.
 */
export function parseTimestamp(raw: unknown): number | undefined {
  const t = readTimestamp(raw);
  // Outside what a Date can hold (1e300, year 300000): refused here, not thrown later by toISOString.
  return t !== undefined && Number.isFinite(t) && Math.abs(t) <= MAX_DATE_MS ? t : undefined;
}

const MAX_DATE_MS = 8.64e15;

function readTimestamp(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) && raw >= 0 ? fromEpoch(raw) : undefined;
  if (typeof raw !== 'string') return undefined;
  const s = raw.trim();
  if (/^\d+$/.test(s)) return s.length > 15 ? fromBigEpoch(BigInt(s)) : fromEpoch(Number(s));
  if (/^\d+\.\d+$/.test(s)) return fromEpoch(Number(s));
  return parseIso(s);
}

function fromEpoch(n: number): number {
  if (n < 1e11) return n * 1000; // seconds (until the year 5138)
  if (n < 1e14) return n; // milliseconds
  if (n < 1e17) return n / 1000; // microseconds
  return n / 1e6; // nanoseconds
}

function fromBigEpoch(n: bigint): number {
  // Digit strings too long for a double keep their sub-millisecond part through integer division.
  if (n >= 10n ** 17n) return Number(n / 1000n) / 1000;
  return fromEpoch(Number(n));
}

const ISO = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:[.,](\d+))?(Z|[+-]\d{2}:?\d{2})?$/i;

function parseIso(s: string): number | undefined {
  const m = ISO.exec(s);
  if (!m) {
    const t = Date.parse(s); // RFC 2822 and other forms Date understands
    return Number.isNaN(t) ? undefined : t;
  }
  const [, date, time, frac = '', zone = 'Z'] = m;
  if (!isCalendarDate(date!)) return undefined;
  const base = Date.parse(`${date}T${time}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`);
  if (Number.isNaN(base)) return undefined;
  // Date.parse keeps milliseconds only; the fraction is added back to microsecond precision.
  return base + Number(`0.${frac || '0'}`) * 1000;
}

/** True when `yyyy-mm-dd` names a day that exists: Date.parse reads 2026-02-30 as March 2. */
function isCalendarDate(date: string): boolean {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** Formats epoch milliseconds (with a fractional part) as an ISO timestamp keeping microseconds. */
export function toPgTimestamp(ms: number): string {
  const whole = Math.floor(ms);
  const micros = Math.round((ms - whole) * 1000);
  const iso = new Date(whole).toISOString(); // …T12:34:56.789Z
  return micros === 0 ? iso : `${iso.slice(0, -1)}${String(Math.min(micros, 999)).padStart(3, '0')}Z`;
}
