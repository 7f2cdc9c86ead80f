import { describe, expect, it } from 'vitest';
import { EMPTY_LOADED, appendOlder, compareLogs, mergeNewest, type Loaded } from '../src/composables/useLogsMerge';
import { anchoredScroll, visibleWindow } from '../src/composables/useLogsWindow';
import type { LogEntry } from '../src/api/logs';
import { buildAnalysis } from './factories';

// This file's own log factories (the logs' shapes differ per test file); buildAnalysis is shared.
let seq = 1000;

/** A log with an analysis-free default; state only what the test cares about. */
function buildLog(over: Partial<LogEntry> = {}): LogEntry {
  const id = String(seq++);
  return {
    id, timestamp: '2026-12-01T12:00:00.000000Z', received_at: '2026-12-01T12:00:00.010000Z', level: 'info', service: 'api',
    message: `line ${id}`, attributes: {}, event_id: null, analysis: null, analysis_status: 'pending', ...over,
  };
}

/** Logs one second apart, newest first, ids descending, as the server pages them. */
function series(count: number, newest = Date.parse('2026-12-01T12:00:00Z'), firstId = 10_000): LogEntry[] {
  return Array.from({ length: count }, (_, i) => {
    const ts = new Date(newest - i * 1000).toISOString().replace('Z', '000Z');
    return buildLog({ id: String(firstId - i), timestamp: ts });
  });
}

const ids = (rows: { id: string }[]): string[] => rows.map((r) => r.id);
const loadedOf = (rows: ReturnType<typeof series>, nextCursor: string | null = 'c-older'): Loaded => ({ rows, nextCursor, capped: false });

describe('compareLogs', () => {
  it('orders newest first, then by id, numerically (ids are bigints as text)', () => {
    const a = buildLog({ id: '9', timestamp: '2026-12-01T12:00:00.000000Z' });
    const b = buildLog({ id: '10', timestamp: '2026-12-01T12:00:00.000000Z' });
    const c = buildLog({ id: '1', timestamp: '2026-12-01T12:00:00.000001Z' });
    expect(ids([a, b, c].sort(compareLogs))).toEqual(['1', '10', '9']);
  });
});

describe('mergeNewest', () => {
  it('takes the first page as it is, with its cursor', () => {
    const page = series(3);
    const m = mergeNewest(EMPTY_LOADED, { logs: page, next_cursor: 'c1' });
    expect(ids(m.rows)).toEqual(ids(page));
    expect(m.nextCursor).toBe('c1');
    expect(m.added).toBe(3);
    expect(m.restarted).toBe(false);
  });

  it('puts new logs on top, keeps loaded older pages and their cursor, without duplicates', () => {
    const all = series(10); // ids 10000 .. 9991
    const loaded = loadedOf(all.slice(2), 'c-page2'); // 9998 .. 9991, two pages deep
    const fresh = { logs: all.slice(0, 4), next_cursor: 'c-fresh' }; // 10000 .. 9997: overlaps 9998, 9997
    const m = mergeNewest(loaded, fresh);
    expect(ids(m.rows)).toEqual(ids(all));
    expect(new Set(ids(m.rows)).size).toBe(10);
    expect(m.nextCursor).toBe('c-page2');
    expect(m.added).toBe(2);
    expect(m.restarted).toBe(false);
  });

  it('replaces a loaded row with its fresher copy (pending → analysed)', () => {
    const [a, b] = series(2);
    const analysed = { ...a!, analysis: buildAnalysis(), analysis_status: 'done' as const };
    const m = mergeNewest(loadedOf([a!, b!]), { logs: [analysed, b!], next_cursor: null });
    expect(m.rows[0]).toBe(analysed);
    expect(m.added).toBe(0);
  });

  it('drops loaded rows inside the fresh page span that no longer match, keeps those below it', () => {
    const all = series(6);
    const fresh = { logs: [all[0]!, all[2]!], next_cursor: 'c' }; // all[1] vanished (e.g. no longer matches)
    const m = mergeNewest(loadedOf(all.slice(1)), fresh);
    expect(ids(m.rows)).toEqual(ids([all[0]!, all[2]!, all[3]!, all[4]!, all[5]!]));
  });

  it('restarts from the fresh rows when they do not reach the loaded ones (a gap would hide logs)', () => {
    const all = series(10);
    const m = mergeNewest(loadedOf(all.slice(6), 'c-old'), { logs: all.slice(0, 3), next_cursor: 'c-new' });
    expect(m.restarted).toBe(true);
    expect(ids(m.rows)).toEqual(ids(all.slice(0, 3)));
    expect(m.nextCursor).toBe('c-new');
  });

  it('knows the fresh rows are all there is when they come without a cursor', () => {
    const all = series(4);
    const m = mergeNewest(loadedOf(all.slice(2), 'c-old'), { logs: all.slice(0, 3), next_cursor: null });
    expect(m.restarted).toBe(false);
    expect(ids(m.rows)).toEqual(ids(all.slice(0, 3)));
    expect(m.nextCursor).toBeNull();
  });

  it('drops rows the moving range left behind, and stops paging', () => {
    const all = series(5); // 12:00:00 .. 11:59:56
    const m = mergeNewest(loadedOf(all.slice(1)), { logs: all.slice(0, 2), next_cursor: 'c' }, { from: '2026-12-01T11:59:58.000Z' });
    expect(ids(m.rows)).toEqual(ids(all.slice(0, 3)));
    expect(m.nextCursor).toBeNull();
  });

  it('stops at the cap, dropping the oldest rows and paging', () => {
    const all = series(8);
    const m = mergeNewest(loadedOf(all.slice(3)), { logs: all.slice(0, 4), next_cursor: 'c' }, { cap: 6 });
    expect(ids(m.rows)).toEqual(ids(all.slice(0, 6)));
    expect(m.capped).toBe(true);
    expect(m.nextCursor).toBeNull();
  });
});

describe('appendOlder', () => {
  it('appends below, de-duplicated, and moves the cursor on', () => {
    const all = series(6);
    const out = appendOlder(loadedOf(all.slice(0, 3), 'c1'), { logs: all.slice(2), next_cursor: 'c2' });
    expect(ids(out.rows)).toEqual(ids(all));
    expect(out.nextCursor).toBe('c2');
  });

  it('stops at the cap with no cursor left', () => {
    const all = series(6);
    const out = appendOlder(loadedOf(all.slice(0, 3), 'c1'), { logs: all.slice(3), next_cursor: 'c2' }, 4);
    expect(out.rows).toHaveLength(4);
    expect(out).toMatchObject({ capped: true, nextCursor: null });
  });
});

describe('windowed list', () => {
  it('renders only the rows in view plus a margin', () => {
    expect(visibleWindow(0, 340, 34, 20_000, 5)).toEqual({ start: 0, end: 15 });
    expect(visibleWindow(34 * 1000, 340, 34, 20_000, 5)).toEqual({ start: 995, end: 1015 });
    expect(visibleWindow(34 * 19_995, 340, 34, 20_000, 5)).toEqual({ start: 19_990, end: 20_000 });
  });

  it('keeps the row being read in place when rows are merged in above it', () => {
    const all = series(10);
    const before = all.slice(3);
    // Reading before[4] (= all[7]), 10 px into it.
    const next = anchoredScroll(before, all, 4 * 34 + 10, 34);
    expect(next).toEqual({ scrollTop: 7 * 34 + 10, shift: 3 });
  });

  it('leaves the view at the top alone, so the newest rows show like a tail', () => {
    const all = series(10);
    expect(anchoredScroll(all.slice(3), all, 0, 34)).toBeUndefined();
  });
});
