import { describe, expect, it } from 'vitest';
import { HeaderFieldFiller, type HeaderCandidate } from '../src/modules/ingest/header-fields.js';
import type { LogRow } from '../src/modules/ingest/index.js';

const NOW = Date.parse('2026-12-02T05:00:00Z');
const WINDOW = { now: NOW, minTs: NOW - 7 * 86_400_000, maxTs: NOW + 86_400_000 };
const LEVELS = ['INFO', 'WARN', 'ERROR', 'NOTICE'];

/** Line i of a source that writes `2026-12-01 10:00:ss.mmm host-n LEVEL app: message`. */
const line = (i: number, time = `2026-12-01 10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.250`): string =>
  `${time} host-${i % 3} ${LEVELS[i % 4]} app${i % 2}: request ${i} served in ${i * 3} ms`;

function buildRow(over: Partial<LogRow> = {}): LogRow {
  return { ts: NOW, level: 'unknown', service: 'svc', message: line(0), attributes: {}, eventId: null, ...over };
}

function batch(service: string, n: number, from = 0, missing = { time: true, level: true }): HeaderCandidate[] {
  return Array.from({ length: n }, (_, k) => ({ row: buildRow({ service, message: line(from + k) }), missing }));
}

describe('HeaderFieldFiller', () => {
  it('fills time, level, host and component once a batch teaches the layout', () => {
    const filler = new HeaderFieldFiller();
    const rows = batch('svc', 40);
    expect(filler.fill(rows, WINDOW)).toBe(40);
    expect(rows[5]!.row).toMatchObject({
      ts: Date.parse('2026-12-01T10:00:05.250Z'), level: 'warn', attributes: { host: 'host-2', component: 'app1' },
      message: line(5),
    });
    expect(rows[6]!.row.level).toBe('error');
  });

  it('fills only what is missing and keeps attributes the entry has', () => {
    const filler = new HeaderFieldFiller();
    filler.fill(batch('svc', 40), WINDOW);
    const own = { row: buildRow({ message: line(41), ts: 7, level: 'fatal', attributes: { host: 'mine', hostname: 'x' } }), missing: { time: false, level: false } };
    const noTime = { row: buildRow({ message: line(42), attributes: { hostname: 'h' } }), missing: { time: true, level: false } };
    filler.fill([own, noTime], WINDOW);
    expect(own.row).toMatchObject({ ts: 7, level: 'fatal', attributes: { host: 'mine', hostname: 'x', component: 'app1' } });
    expect(noTime.row).toMatchObject({ ts: Date.parse('2026-12-01T10:00:42.250Z'), level: 'unknown', attributes: { hostname: 'h', component: 'app0' } });
  });

  it('keeps the receive time for a header time outside the window, and lines that do not fit', () => {
    const filler = new HeaderFieldFiller();
    filler.fill(batch('svc', 40), WINDOW);
    const old = { row: buildRow({ message: line(3, '2001-01-01 10:00:00.000') }), missing: { time: true, level: true } };
    const odd = { row: buildRow({ message: 'free text without any header' }), missing: { time: true, level: true } };
    filler.fill([old, odd], WINDOW);
    // The time is refused, the rest of the header still counts (NOTICE is info).
    expect(old.row).toMatchObject({ ts: NOW, level: 'info', attributes: { host: 'host-0', component: 'app1' } });
    expect(odd.row).toEqual(buildRow({ message: 'free text without any header' }));
  });

  it('fills nothing before 32 lines of a service were seen', () => {
    const filler = new HeaderFieldFiller();
    const first = batch('svc', 31);
    expect(filler.fill(first, WINDOW)).toBe(0);
    expect(first.every((c) => c.row.ts === NOW && c.row.level === 'unknown')).toBe(true);
    expect(filler.fill(batch('svc', 1, 31), WINDOW)).toBe(1);
  });

  it('keeps at most maxSources learners, forgetting the least recently seen service', () => {
    const filler = new HeaderFieldFiller(2);
    filler.fill(batch('a', 40), WINDOW);
    filler.fill(batch('b', 40), WINDOW);
    filler.fill(batch('a', 1, 40), WINDOW);
    filler.fill(batch('c', 40), WINDOW);
    expect(filler.size).toBe(2);
    // `a` was seen more recently than `b`: it still knows its layout; `b` learns again from scratch.
    expect(filler.fill(batch('a', 5, 41), WINDOW)).toBe(5);
    expect(filler.fill(batch('b', 5, 40), WINDOW)).toBe(0);
  });
});
