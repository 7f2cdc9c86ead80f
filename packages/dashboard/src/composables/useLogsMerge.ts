import type { LogEntry } from '../api/logs';

// Pure list arithmetic of the logs view: the polled newest page is merged on top of the pages the
// user already loaded, without duplicates, in the server's order, and never beyond a cap that keeps
// the tab's memory bounded.

/** Most rows the view keeps; "Load older" stops there with a note. */
export const MAX_ROWS = 20_000;

export interface Loaded {
  /** Newest first, no two with the same id. */
  rows: LogEntry[];
  /** Cursor of the next older page, null when nothing older is left (or the cap was reached). */
  nextCursor: string | null;
  /** The cap was reached: no more older pages. */
  capped: boolean;
}

export const EMPTY_LOADED: Loaded = { rows: [], nextCursor: null, capped: false };

/** Orders numeric id strings (bigint on the server) without losing precision. */
function compareIds(a: string, b: string): number {
  return a.length === b.length ? (a < b ? -1 : a > b ? 1 : 0) : a.length - b.length;
}

/**
 * The server's order, newest first: by timestamp, then by id. Negative when `a` comes first.
 * Timestamps compare as text: the server always writes the same fixed-width UTC form.
 */
export function compareLogs(a: LogEntry, b: LogEntry): number {
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp ? -1 : 1;
  return -compareIds(a.id, b.id);
}

/** Rows from several lists, later lists winning for an id (they are fresher), sorted newest first. */
function union(...lists: LogEntry[][]): LogEntry[] {
  const byId = new Map<string, LogEntry>();
  for (const l of lists) for (const row of l) byId.set(row.id, row);
  return [...byId.values()].sort(compareLogs);
}

function capRows(rows: LogEntry[], nextCursor: string | null, cap: number, wasCapped: boolean): Loaded {
  // The cursor would point past the rows dropped here, so paging stops with the cap.
  if (rows.length > cap) return { rows: rows.slice(0, cap), nextCursor: null, capped: true };
  return { rows, nextCursor: wasCapped ? null : nextCursor, capped: wasCapped };
}

export interface MergeResult extends Loaded {
  /** Rows that were not loaded before. */
  added: number;
  /** The fresh pages did not reach the loaded rows (more arrived than one poll fetches): the list restarted from them. */
  restarted: boolean;
}

/**
 * Merges a fresh newest page (or several, fetched with its cursor) into the loaded rows.
 * `fresh.next_cursor` null means the fresh rows are everything in the range. `from`, when the range
 * moves with the clock, drops loaded rows that fell out of it.
 */
export function mergeNewest(
  loaded: Loaded,
  fresh: { logs: LogEntry[]; next_cursor: string | null },
  opts: { cap?: number; from?: string } = {},
): MergeResult {
  const cap = opts.cap ?? MAX_ROWS;
  const before = new Set(loaded.rows.map((r) => r.id));
  const freshRows = union(fresh.logs);
  const last = freshRows.at(-1);
  const top = loaded.rows[0];
  const reaches = !top || fresh.next_cursor === null || (last !== undefined && compareLogs(last, top) >= 0);
  let rows: LogEntry[];
  let nextCursor = loaded.nextCursor;
  if (!reaches || loaded.rows.length === 0) {
    rows = freshRows;
    nextCursor = fresh.next_cursor;
  } else {
    // Within the span the fresh rows cover they are the truth: a loaded row missing there no longer matches.
    const kept = fresh.next_cursor === null || !last ? [] : loaded.rows.filter((r) => compareLogs(r, last) > 0);
    rows = union(kept, freshRows);
    if (fresh.next_cursor === null) nextCursor = null;
  }
  const fromMs = opts.from === undefined ? undefined : Date.parse(opts.from);
  if (fromMs !== undefined && Number.isFinite(fromMs)) {
    const inRange = rows.filter((r) => Date.parse(r.timestamp) >= fromMs);
    // Something fell out at the old end: nothing older is left in the range.
    if (inRange.length < rows.length) nextCursor = null;
    rows = inRange;
  }
  const out = capRows(rows, nextCursor, cap, reaches && loaded.capped);
  return { ...out, added: out.rows.filter((r) => !before.has(r.id)).length, restarted: !reaches };
}

/** Appends an older page ("Load older") below the loaded rows. */
export function appendOlder(loaded: Loaded, page: { logs: LogEntry[]; next_cursor: string | null }, cap = MAX_ROWS): Loaded {
  return capRows(union(loaded.rows, page.logs), page.next_cursor, cap, loaded.capped);
}
