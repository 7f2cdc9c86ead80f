import { describe, expect, it } from 'vitest';
import { normalizeLevel } from '../src/modules/ingest/levels.js';
import { normalizeEntry } from '../src/modules/ingest/normalize.js';
import { splitJson, splitNdjson, splitText } from '../src/modules/ingest/body.js';
import { parseTimestamp, toPgTimestamp } from '../src/lib/time.js';

const NOW = Date.parse('2026-06-15T12:00:00Z');
const limits = { now: NOW, minTs: NOW - 7 * 86_400_000, maxTs: NOW + 86_400_000, maxMessageBytes: 1024 };

describe('levels', () => {
  it.each([
    ['WARNING', 'warn'], ['warn', 'warn'], ['W', 'warn'], ['err', 'error'], ['CRITICAL', 'fatal'], ['notice', 'info'],
    [0, 'fatal'], [3, 'error'], [4, 'warn'], [6, 'info'], [7, 'debug'], ['5', 'info'],
    [10, 'trace'], [20, 'debug'], [30, 'info'], [40, 'warn'], [50, 'error'], [60, 'fatal'], [undefined, 'unknown'],
  ])('%s → %s', (raw, level) => expect(normalizeLevel(raw)).toBe(level));

  it.each([['loud'], [8], [35], [true]])('refuses %s', (raw) => expect(normalizeLevel(raw)).toBeUndefined());
});

describe('timestamps', () => {
  const t = Date.parse('2026-06-15T10:20:30.123Z');
  it.each([
    ['2026-06-15T10:20:30.123Z', t],
    ['2026-06-15T12:20:30.123+02:00', t],
    ['2026-06-15 10:20:30.123', t],
    [t / 1000, t],
    [t, t],
    [t * 1000, t],
    [`${t}000000`, t],
    [String(t / 1000), t],
  ])('%s', (raw, ms) => expect(parseTimestamp(raw)).toBeCloseTo(ms, 3));

  it('keeps microseconds through parsing and formatting', () => {
    expect(toPgTimestamp(parseTimestamp('2026-06-15T10:20:30.123456Z')!)).toBe('2026-06-15T10:20:30.123456Z');
    expect(toPgTimestamp(parseTimestamp('1781518830123456789')!)).toBe(new Date(1781518830123).toISOString().replace('Z', '456Z'));
  });

  it.each([['tomorrow'], [-5], [{}], ['2026-13-45T99:00:00Z']])('refuses %s', (raw) => expect(parseTimestamp(raw)).toBeUndefined());
});

describe('entries', () => {
  it('maps msg/log, severity, app and keeps unknown fields as attributes', () => {
    const r = normalizeEntry({ msg: 'hi', severity: 'E', app: 'billing', ts: NOW, trace_id: 'abc', attributes: { k: 1 } }, limits);
    expect(r).toEqual({ row: { ts: NOW, level: 'error', service: 'billing', message: 'hi', attributes: { k: 1, trace_id: 'abc' }, eventId: null } });
  });

  it('replaces NUL characters and lone surrogates instead of failing the batch', () => {
    const r = normalizeEntry({ message: 'a\u0000b\ud800', metadata: { 'k\u0000': 'v\udc00' } }, limits);
    expect(r).toMatchObject({ row: { message: 'a\uFFFDb\uFFFD', attributes: { 'k\uFFFD': 'v\uFFFD' } } });
  });

  it('stamps entries without a timestamp with the receive time', () => {
    expect(normalizeEntry({ message: 'x' }, limits)).toMatchObject({ row: { ts: NOW, service: 'unknown', level: 'unknown' } });
  });
});

describe('bodies', () => {
  it('splits JSON shapes', () => {
    expect(splitJson({ message: 'a' }).entries).toHaveLength(1);
    expect(splitJson([{}, {}]).entries.map((e) => e.index)).toEqual([0, 1]);
    expect(splitJson({ logs: [{}, {}, {}] }).entries).toHaveLength(3);
  });
  it('splits NDJSON and text on LF and CRLF', () => {
    expect(splitNdjson('{"a":1}\r\n\r\n{"a":2}').entries.map((e) => e.value)).toEqual([{ a: 1 }, { a: 2 }]);
    expect(splitText('one\r\ntwo\n\nthree').entries.map((e) => e.value)).toEqual([{ message: 'one' }, { message: 'two' }, { message: 'three' }]);
  });
});
