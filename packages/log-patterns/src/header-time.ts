// Reads the timestamp a log header carried (a raw text span from headerFields) in whatever common
// form the source writes it: ISO 8601 and its relatives, dotted and slashed dates, compact dates,
// syslog and ctime with month names, Apache's common log format, epochs, bare clock times. The
// span may run on into fields the layout glued to it (`1709251236 19497`, `2015.06.03` after an
// epoch), so the longest leading run of tokens that reads wins. Pure: `now` is passed in.

/** How to read a header time. */
export interface HeaderTimeOptions {
  /** Offset from UTC in minutes for times written without a zone (default 0: UTC). */
  offsetMinutes?: number;
}

/** Calendar parts read from the text; a missing year or date is inferred from `now`. */
interface Parts {
  y?: number;
  mo?: number;
  d?: number;
  /** Two-digit `aa/bb/cc` whose order only the distance to `now` decides. */
  ambiguous?: [number, number, number];
  h: number;
  mi: number;
  s: number;
  ms: number;
  /** Minutes east of UTC written in the text; undefined = zone-less. */
  zone?: number;
  /** ctime (`Sun Dec 04 04:47:44 2005`): the year may follow the time. */
  yearAfter?: boolean;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MON = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?';
const DOW = '(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\\s+)?';
const WEEKDAY = /^(?:mon|tue|wed|thu|fri|sat|sun)/i;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
// Epochs outside 2000-2100 are counters or ids, not times.
const EPOCH_MIN_S = 946_684_800;
const EPOCH_MAX_S = 4_102_444_800;

type DateRule = { re: RegExp; read: (m: RegExpExecArray) => Partial<Parts>; needsTime?: boolean; compact?: boolean };

const num = (s: string | undefined): number => Number(s ?? 0);
const monthOf = (s: string | undefined): number => MONTHS.indexOf((s ?? '').toLowerCase().slice(0, 3)) + 1;
/** `first.second` where the order is not written: day first only when the first cannot be a month. */
const dayMonth = (a: number, b: number, y?: number): Partial<Parts> => (a > 12 ? { y, d: a, mo: b } : { y, mo: a, d: b });

// Date forms at the start of the text, most specific first. `needsTime`: too bare to be a date alone.
const DATES: DateRule[] = [
  { re: /^(\d{4})([-./])(\d{1,2})\2(\d{1,2})/, read: (m) => ({ y: num(m[1]), mo: num(m[3]), d: num(m[4]) }) },
  { re: /^(\d{4})(\d{2})(\d{2})(?=[T\s-])/, read: (m) => ({ y: num(m[1]), mo: num(m[2]), d: num(m[3]) }), needsTime: true, compact: true },
  { re: /^(\d{2})(\d{2})(\d{2})(?=\s)/, read: (m) => ({ y: 2000 + num(m[1]), mo: num(m[2]), d: num(m[3]) }), needsTime: true, compact: true },
  // 07/29/2015 (month first) or 29/07/2015; dots and dashes: 29.07.2015 (day first unless it cannot be).
  { re: /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?!\d)/, read: (m) => dayMonth(num(m[1]), num(m[2]), num(m[3])) },
  { re: /^(\d{1,2})([-.])(\d{1,2})\2(\d{4})(?!\d)/, read: (m) => dayMonth(num(m[3]), num(m[1]), num(m[4])) },
  { re: /^(\d{2})\/(\d{2})\/(\d{2})(?=[\s:T])/, read: (m) => ({ ambiguous: [num(m[1]), num(m[2]), num(m[3])] }), needsTime: true },
  { re: new RegExp(`^(\\d{1,2})/${MON}/(\\d{4})`, 'i'), read: (m) => ({ d: num(m[1]), mo: monthOf(m[2]), y: num(m[3]) }) },
  { re: new RegExp(`^${DOW}(\\d{1,2})[\\s-]+${MON}[\\s-]+(\\d{4})`, 'i'), read: (m) => ({ d: num(m[1]), mo: monthOf(m[2]), y: num(m[3]) }) },
  {
    re: new RegExp(`^${DOW}${MON}\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+(\\d{4})(?![\\d:]))?`, 'i'),
    read: (m) => ({ mo: monthOf(m[1]), d: num(m[2]), y: m[3] === undefined ? undefined : num(m[3]), yearAfter: WEEKDAY.test(m[0]) }),
  },
  // Month and day without a year: Android's 03-17, Proxifier's 10.30.
  { re: /^(\d{1,2})([-.])(\d{1,2})(?=\s)/, read: (m) => dayMonth(num(m[1]), num(m[3])), needsTime: true },
];

const FRAC = '(?:[.,:](\\d{1,9}))?';
const CLOCK = new RegExp(`^(\\d{1,2}):(\\d{2})(?::(\\d{2})${FRAC})?`);
const DOTTED = /^(\d{2})\.(\d{2})\.(\d{2})(?:\.(\d{1,9}))?/;
const COMPACT = /^(\d{2})(\d{2})(\d{2})(?:[.,](\d{1,9}))?/;
const ZONE = /^\s*(?:(z|utc|gmt)(?![a-z])([+-]\d{1,2}(?::?\d{2})?)?|([+-]\d{2})(?::?(\d{2}))?(?!\d))/i;

/** Milliseconds of a fraction written with any number of digits (truncated, not rounded). */
const millis = (frac: string | undefined): number => (frac === undefined ? 0 : Number(frac.padEnd(3, '0').slice(0, 3)));

/** Minutes east of UTC of a zone like `+02:00`, `-0530`, `+08`; NaN when impossible. */
function offsetOf(sign: string): number {
  const m = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(sign);
  if (!m) return Number.NaN;
  const h = num(m[2]);
  const mi = num(m[3]);
  if (h > 14 || mi > 59) return Number.NaN;
  return (m[1] === '-' ? -1 : 1) * (h * 60 + mi);
}

/** The clock time at the start of `s`, and what follows it. */
function readClock(s: string, compact: boolean, dateSeen: boolean): { h: number; mi: number; sec: number; ms: number; rest: string } | null {
  const m = CLOCK.exec(s) ?? (dateSeen ? DOTTED.exec(s) : null) ?? (compact ? COMPACT.exec(s) : null);
  if (!m) return null;
  return { h: num(m[1]), mi: num(m[2]), sec: num(m[3]), ms: millis(m[4]), rest: s.slice(m[0].length) };
}

/** Reads one candidate text entirely, or null. */
function readParts(text: string): Parts | null {
  let s = text;
  let date: Partial<Parts> = {};
  let rule: DateRule | undefined;
  for (const r of DATES) {
    const m = r.re.exec(s);
    if (m) {
      date = r.read(m);
      rule = r;
      s = s.slice(m[0].length);
      break;
    }
  }
  const sep = /^(?:T|\s+|-|_|:)/i.exec(s);
  const clock = readClock(sep ? s.slice(sep[0].length) : s, rule?.compact === true, rule !== undefined);
  // A date alone is a time (midnight) only in the forms that cannot be anything else.
  if (clock === null && (rule === undefined || rule.needsTime === true)) return null;
  if (clock !== null) s = clock.rest;
  // ctime writes the year after the time. Only there: after a syslog time the number is a pid.
  const year = date.y === undefined && date.yearAfter === true ? /^\s+(\d{4})(?!\d)/.exec(s) : null;
  if (year) {
    date.y = num(year[1]);
    s = s.slice(year[0].length);
  }
  let zone: number | undefined;
  const z = ZONE.exec(s);
  if (z) {
    zone = z[3] !== undefined ? offsetOf(`${z[3]}${z[4] ?? ''}`) : z[2] !== undefined ? offsetOf(z[2]) : 0;
    if (Number.isNaN(zone)) return null;
    s = s.slice(z[0].length);
  }
  if (!/^[\s,:\]]*$/.test(s)) return null;
  // Built field by field: spreading the date's varying shapes cost ten times the whole parse.
  const { y, mo, d, ambiguous } = date;
  return { y, mo, d, ambiguous, h: clock?.h ?? 0, mi: clock?.mi ?? 0, s: clock?.sec ?? 0, ms: clock?.ms ?? 0, zone };
}

/** Epoch milliseconds of a calendar time, or NaN when a part is out of range (2026-02-30, 25:00). */
function instant(y: number, mo: number, d: number, p: Parts, offset: number): number {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || p.h > 23 || p.mi > 59 || p.s > 60) return Number.NaN;
  const t = new Date(Date.UTC(2000, mo - 1, d, p.h, p.mi, p.s, p.ms));
  t.setUTCFullYear(y);
  // Date rolls an impossible day over into the next month: compare the day it landed on.
  if (t.getUTCDate() !== d && p.s !== 60) return Number.NaN;
  return t.getTime() - offset * 60_000;
}

/** Of the candidates, the one closest to `now` and not more than a day ahead of it. */
function closest(candidates: number[], now: number): number {
  let best = Number.NaN;
  for (const t of candidates) {
    if (Number.isNaN(t) || t > now + DAY_MS) continue;
    if (Number.isNaN(best) || Math.abs(t - now) < Math.abs(best - now)) best = t;
  }
  return best;
}

/** Infers what the text left out (year, date) from `now` and returns the instant. */
function resolve(p: Parts, now: number, defaultOffset: number): number {
  const offset = p.zone ?? defaultOffset;
  if (p.ambiguous !== undefined) {
    const [a, b, c] = p.ambiguous;
    const yy = (n: number): number => 2000 + n;
    // Month first, then day first, then year first (Spark's 17/06/09): the nearest reading wins.
    return closest([instant(yy(c), a, b, p, offset), instant(yy(c), b, a, p, offset), instant(yy(a), b, c, p, offset)], now);
  }
  if (p.mo !== undefined && p.d !== undefined) {
    if (p.y !== undefined) return instant(p.y, p.mo, p.d, p, offset);
    const year = new Date(now).getUTCFullYear();
    const years = [year + 1, year, year - 1, year - 2, year - 3, year - 4];
    return closest(years.map((y) => instant(y, p.mo ?? 0, p.d ?? 0, p, offset)), now);
  }
  // A clock time alone: today where the source is, or yesterday when today would be over an hour
  // ahead; tomorrow when now is just before midnight and the source's clock is a little ahead.
  const local = new Date(now + offset * 60_000);
  const today = instant(local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate(), p, offset);
  let best = Number.NaN;
  for (const t of [today + DAY_MS, today, today - DAY_MS]) {
    if (t <= now + HOUR_MS && (Number.isNaN(best) || Math.abs(t - now) < Math.abs(best - now))) best = t;
  }
  return best;
}

/** Epoch seconds (10 digits, optional fraction), millis (13), micros (16) or nanos (19) in 2000-2100. */
function readEpoch(s: string): number {
  const m = /^(\d{10}|\d{13}|\d{16}|\d{19})(?:\.(\d{1,9}))?$/.exec(s);
  if (!m) return Number.NaN;
  const digits = m[1] ?? '';
  if (digits.length !== 10 && m[2] !== undefined) return Number.NaN;
  const ms = digits.length === 10 ? Number(digits) * 1000 + millis(m[2]) : Number(digits.slice(0, 13));
  return ms >= EPOCH_MIN_S * 1000 && ms <= EPOCH_MAX_S * 1000 ? ms : Number.NaN;
}

/** One candidate text as an instant: undefined when it is no time, NaN when it names an impossible one. */
function readOne(text: string, now: number, offset: number): number | undefined {
  const epoch = readEpoch(text);
  if (!Number.isNaN(epoch)) return epoch;
  const parts = readParts(text);
  return parts === null ? undefined : resolve(parts, now, offset);
}

/**
 * The instant a header's timestamp span names, in any common format, or null when it names none
 * (or an impossible one). Zone-less times are UTC unless `options.offsetMinutes` says otherwise; a
 * missing year or date is the one that puts the time nearest `now`.
 */
export function parseHeaderTime(text: string, now: Date, options: HeaderTimeOptions = {}): Date | null {
  const offset = options.offsetMinutes ?? 0;
  const trimmed = text.trim().replace(/^[[(<{]+|[\])>}]+:?$/g, '').replace(/[,|:]+$/, '').trim();
  const tokens = trimmed.split(/[\s|]+/).filter((t) => t !== '');
  // Fields the layout glued onto the time (a pid, a sequence number) are dropped from the end.
  for (let n = Math.min(tokens.length, 8); n > 0; n--) {
    const t = readOne(tokens.slice(0, n).join(' ').replace(/,$/, ''), now.getTime(), offset);
    // An impossible time (2026-02-30, 25:00) is refused whole, not read as its shorter date.
    if (t !== undefined) return Number.isNaN(t) ? null : new Date(t);
  }
  return null;
}
