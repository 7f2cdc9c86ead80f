import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LayoutLearner, parseHeaderTime } from '../src/index.js';
import { wrap } from './fuzz.js';

const NOW = new Date('2026-12-02T05:00:00Z');
const read = (text: string, now = NOW): string | null => parseHeaderTime(text, now)?.toISOString() ?? null;

// Header timestamp spans as sources write them (and as headerFields hands them over, pids and
// sequence numbers glued on included), with the instant each one names.
const FORMATS: [string, string][] = [
  ['2026-11-30T10:00:01.123Z', '2026-11-30T10:00:01.123Z'],
  ['2026-11-30T10:00:01Z', '2026-11-30T10:00:01.000Z'],
  ['2026-11-30T10:00:01.123+02:00', '2026-11-30T08:00:01.123Z'],
  ['2026-11-30T10:00:01-0530', '2026-11-30T15:30:01.000Z'],
  ['2026-11-30 10:00:01', '2026-11-30T10:00:01.000Z'],
  ['2026-11-30 10:00:01,123', '2026-11-30T10:00:01.123Z'],
  ['2026-11-30 10:00:01.123456789', '2026-11-30T10:00:01.123Z'],
  ['2015-10-18 18:01:47,978', '2015-10-18T18:01:47.978Z'],
  ['2015.07.29 17:41:44', '2015-07-29T17:41:44.000Z'],
  ['2015/07/29 17:41:44.500', '2015-07-29T17:41:44.500Z'],
  ['07/29/2015 17:41:44', '2015-07-29T17:41:44.000Z'],
  ['29.07.2015 17:41:44', '2015-07-29T17:41:44.000Z'],
  ['2015.07.29', '2015-07-29T00:00:00.000Z'],
  ['081109 203615', '2008-11-09T20:36:15.000Z'],
  ['081109 203615 148', '2008-11-09T20:36:15.000Z'],
  ['20171223-22:15:29:606', '2017-12-23T22:15:29.606Z'],
  ['20240301T000037Z', '2024-03-01T00:00:37.000Z'],
  ['17/06/09 20:10:40', '2017-06-09T20:10:40.000Z'],
  ['Jun 14 15:16:01', '2026-06-14T15:16:01.000Z'],
  ['Dec 31 23:59:59', '2025-12-31T23:59:59.000Z'],
  ['Dec  3 04:00:00', '2026-12-03T04:00:00.000Z'],
  ['Jun 14 2015 15:16:01', '2015-06-14T15:16:01.000Z'],
  ['Thu Jun 14 15:16:01 2015', '2015-06-14T15:16:01.000Z'],
  ['Jun 14 15:16:01 2015', '2026-06-14T15:16:01.000Z'],
  ['[Sun Dec 04 04:47:44 2005]', '2005-12-04T04:47:44.000Z'],
  ['Tue, 01 Mar 2024 00:00:39 +0000', '2024-03-01T00:00:39.000Z'],
  ['01/Mar/2024:00:00:39 +0100', '2024-02-29T23:00:39.000Z'],
  ['1764496801', '2025-11-30T10:00:01.000Z'],
  ['1764496801.123', '2025-11-30T10:00:01.123Z'],
  ['1709251237775', '2024-03-01T00:00:37.775Z'],
  ['1117838570 2005.06.03', '2005-06-03T22:42:50.000Z'],
  ['15:16:01.123', '2026-12-01T15:16:01.123Z'],
  ['05:30:00', '2026-12-02T05:30:00.000Z'],
  ['03-01 00:00:36.963|#829806', '2026-03-01T00:00:36.963Z'],
  ['3.01 00:00:36', '2026-03-01T00:00:36.000Z'],
  ['[10.30 16:49:06]', '2026-10-30T16:49:06.000Z'],
  ['2024-03-01-00.00.36.711123', '2024-03-01T00:00:36.711Z'],
  ['2024-03-01 00:00:36, 61415', '2024-03-01T00:00:36.000Z'],
  ['Mar  1 00:00:36 #193410 3086  2521', '2026-03-01T00:00:36.000Z'],
  ['2026-12-02 10:00:00 UTC+8', '2026-12-02T02:00:00.000Z'],
];

const NOT_TIMES = [
  '2026-02-30 10:00:00', '2026-13-01 00:00:00', '2026-11-30 25:00:00', '2026-11-30T10:61:00Z',
  '2026-11-30T10:00:00+19:00', '02/30/2026 10:00:00', 'Feb 30 10:00:00', 'hello', '12345', '10.0.0.7',
  '999999999', '9999999999999', 'INFO', 'worker-3', '081109', '3.01', '',
];

describe('parseHeaderTime', () => {
  it.each(FORMATS)('reads %j', (text, iso) => {
    expect(read(text)).toBe(iso);
  });

  it.each(NOT_TIMES)('refuses %j', (text) => {
    expect(read(text)).toBeNull();
  });

  it('reads zone-less times at the given offset; written zones and epochs ignore it', () => {
    const east = { offsetMinutes: 480 };
    expect(parseHeaderTime('2026-11-30 10:00:00', NOW, east)?.toISOString()).toBe('2026-11-30T02:00:00.000Z');
    expect(parseHeaderTime('2026-11-30 10:00:00Z', NOW, east)?.toISOString()).toBe('2026-11-30T10:00:00.000Z');
    expect(parseHeaderTime('1764496801', NOW, east)?.toISOString()).toBe('2025-11-30T10:00:01.000Z');
    // 12:30 in UTC+8 on 2 December is 04:30Z, half an hour before now: today, not yesterday.
    expect(parseHeaderTime('12:30:00', NOW, east)?.toISOString()).toBe('2026-12-02T04:30:00.000Z');
  });

  it('puts a clock time over an hour ahead of now on the day before, and a year-less date at most a day ahead', () => {
    expect(read('06:30:00')).toBe('2026-12-01T06:30:00.000Z');
    expect(read('05:59:00')).toBe('2026-12-02T05:59:00.000Z');
    expect(read('00:00:10', new Date('2026-12-01T23:59:50Z'))).toBe('2026-12-02T00:00:10.000Z');
    expect(read('Jan  1 00:00:01', new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01T00:00:01.000Z');
    expect(read('Dec 31 23:59:00', new Date('2027-01-01T00:10:00Z'))).toBe('2026-12-31T23:59:00.000Z');
    // 29 February: the nearest leap year before now.
    expect(read('Feb 29 12:00:00')).toBe('2024-02-29T12:00:00.000Z');
  });

  it('reads the timestamps of headers the format fuzzer draws, as the learner hands them over', () => {
    const messages = Array.from({ length: 64 }, (_, i) => `job ${i} finished with state ${['ok', 'failed'][i % 2]}`);
    const fuzzNow = new Date('2024-03-01T12:00:00Z');
    // The fuzzer's clock starts at 2024-03-01T00:00:00Z and advances about 7 s a line; one
    // style writes +02:00, so the instant may read up to two hours earlier.
    const from = Date.parse('2024-02-29T22:00:00Z');
    const to = Date.parse('2024-03-01T00:10:00Z');
    let read = 0;
    for (let seed = 1; seed <= 120; seed++) {
      const lines = wrap(messages, seed);
      const learner = new LayoutLearner();
      learner.prime(lines);
      const span = learner.split(lines[40] ?? '').fields.timestamp;
      if (span === undefined) continue;
      const t = parseHeaderTime(span, fuzzNow);
      expect(t, `seed ${seed}: ${span}`).not.toBeNull();
      expect(t!.getTime(), `seed ${seed}: ${span}`).toBeGreaterThanOrEqual(from);
      expect(t!.getTime(), `seed ${seed}: ${span}`).toBeLessThanOrEqual(to);
      read++;
    }
    expect(read).toBeGreaterThan(80);
  });
});

const p2 = (n: number): string => String(n).padStart(2, '0');
const p3 = (n: number): string => String(n).padStart(3, '0');
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DOW = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** One way of writing an instant, and the precision (ms) it keeps. */
interface Style {
  name: string;
  unit: number;
  write: (d: Date) => string;
}

const ymd = (d: Date, sep: string): string => `${d.getUTCFullYear()}${sep}${p2(d.getUTCMonth() + 1)}${sep}${p2(d.getUTCDate())}`;
const hms = (d: Date): string => `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
const md = (d: Date): string => `${MON[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')}`;

const STYLES: Style[] = [
  { name: 'ISO T Z', unit: 1, write: (d) => d.toISOString() },
  { name: 'ISO space comma', unit: 1, write: (d) => `${ymd(d, '-')} ${hms(d)},${p3(d.getUTCMilliseconds())}` },
  { name: 'dotted date', unit: 1000, write: (d) => `${ymd(d, '.')} ${hms(d)}` },
  { name: 'slashed date', unit: 1, write: (d) => `${ymd(d, '/')} ${hms(d)}.${p3(d.getUTCMilliseconds())}` },
  { name: 'US date', unit: 1000, write: (d) => `${p2(d.getUTCMonth() + 1)}/${p2(d.getUTCDate())}/${d.getUTCFullYear()} ${hms(d)}` },
  { name: 'yyMMdd HHmmss', unit: 1000, write: (d) => `${ymd(d, '').slice(2)} ${hms(d).replaceAll(':', '')}` },
  { name: 'yyyyMMdd-HH:mm:ss:SSS', unit: 1, write: (d) => `${ymd(d, '')}-${hms(d)}:${p3(d.getUTCMilliseconds())}` },
  { name: 'BGL', unit: 1, write: (d) => `${ymd(d, '-')}-${hms(d).replaceAll(':', '.')}.${p3(d.getUTCMilliseconds())}456` },
  { name: 'syslog with year', unit: 1000, write: (d) => `${md(d)} ${d.getUTCFullYear()} ${hms(d)}` },
  { name: 'ctime', unit: 1000, write: (d) => `[${DOW[d.getUTCDay()]} ${md(d)} ${hms(d)} ${d.getUTCFullYear()}]` },
  { name: 'common log', unit: 1000, write: (d) => `${p2(d.getUTCDate())}/${MON[d.getUTCMonth()]}/${d.getUTCFullYear()}:${hms(d)} +0000` },
  { name: 'RFC 2822', unit: 1000, write: (d) => d.toUTCString() },
  { name: 'epoch seconds', unit: 1, write: (d) => (d.getTime() / 1000).toFixed(3) },
  { name: 'epoch millis', unit: 1, write: (d) => String(d.getTime()) },
];

/** Styles without a year (or a date): `now` decides them, so it is drawn near the instant. */
const NEAR_STYLES: (Style & { lead: [number, number] })[] = [
  { name: 'syslog', unit: 1000, lead: [-23 * 3_600_000, 150 * 86_400_000], write: (d) => `${md(d)} ${hms(d)}` },
  { name: 'logcat', unit: 1, lead: [-23 * 3_600_000, 150 * 86_400_000], write: (d) => `${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ${hms(d)}.${p3(d.getUTCMilliseconds())}` },
  { name: 'clock', unit: 1, lead: [-59 * 60_000, 22 * 3_600_000], write: (d) => `${hms(d)}.${p3(d.getUTCMilliseconds())}` },
];

const instant = fc.date({ min: new Date('2001-09-10T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true });
const floor = (t: number, unit: number): number => Math.floor(t / unit) * unit;

describe('parseHeaderTime round trip', () => {
  it.each(STYLES.map((s) => [s.name, s] as const))('%s: writing an instant and reading it gives it back', (_, style) => {
    fc.assert(fc.property(instant, (d) => {
      expect(parseHeaderTime(style.write(d), NOW)?.getTime()).toBe(floor(d.getTime(), style.unit));
    }), { numRuns: 300 });
  });

  it('an offset written in the text names the same instant', () => {
    fc.assert(fc.property(instant, fc.integer({ min: -12 * 4, max: 14 * 4 }), (d, quarters) => {
      const offset = quarters * 15;
      const local = new Date(d.getTime() + offset * 60_000);
      const zone = `${offset < 0 ? '-' : '+'}${p2(Math.floor(Math.abs(offset) / 60))}:${p2(Math.abs(offset) % 60)}`;
      expect(parseHeaderTime(`${local.toISOString().slice(0, -1)}${zone}`, NOW)?.getTime()).toBe(d.getTime());
    }), { numRuns: 300 });
  });

  it.each(NEAR_STYLES.map((s) => [s.name, s] as const))('%s: read back when now is near the instant', (_, style) => {
    fc.assert(fc.property(instant, fc.integer({ min: style.lead[0], max: style.lead[1] }), (d, lead) => {
      const now = new Date(d.getTime() + lead);
      expect(parseHeaderTime(style.write(d), now)?.getTime()).toBe(floor(d.getTime(), style.unit));
    }), { numRuns: 300 });
  });
});
