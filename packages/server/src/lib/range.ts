import { AppError } from './errors.js';
import { parseTimestamp } from './time.js';

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

const invalid = (message: string): AppError => new AppError('invalid_query', message);

/**
 * Reads a request's `from`/`to` as epoch milliseconds (default: the 24 hours before `now`); throws
 * invalid_query saying what to change. `maxDays` caps the span when given.
 */
export function readRange(from: string | undefined, to: string | undefined, now: number, maxDays?: number): { from: number; to: number } {
  const t = to === undefined ? now : parseTimestamp(to);
  if (t === undefined) throw invalid(`to: unreadable time "${to}"; use ISO 8601 or epoch milliseconds`);
  const f = from === undefined ? t - DAY_MS : parseTimestamp(from);
  if (f === undefined) throw invalid(`from: unreadable time "${from}"; use ISO 8601 or epoch milliseconds`);
  if (f >= t) throw invalid('from must be earlier than to');
  if (maxDays !== undefined && t - f > maxDays * DAY_MS) {
    throw invalid(`the time range spans more than ${maxDays} days; narrow from/to (QUERY_MAX_RANGE_DAYS)`);
  }
  return { from: f, to: t };
}

/**
 * Picks a bucket width (seconds) giving about 60 buckets, rounded to a friendly step. From a one-hour
 * span up every step is whole minutes, which the per-minute rollups can serve.
 */
export function autoBucket(spanMs: number): number {
  const steps = [10, 30, 60, 300, 600, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86_400];
  return steps.find((s) => spanMs / (s * 1000) <= 60) ?? 86_400;
}

/** Throws invalid_query when [from, to) cut in `bucketSeconds` would make more than `max` buckets. */
export function checkBuckets(range: { from: number; to: number }, bucketSeconds: number, max = 1000): void {
  if ((range.to - range.from) / (bucketSeconds * 1000) > max) {
    throw invalid(`more than ${max} buckets; raise bucket (seconds) or narrow the range`);
  }
}

export const floorMinute = (ms: number): number => Math.floor(ms / MINUTE_MS) * MINUTE_MS;
export const ceilMinute = (ms: number): number => Math.ceil(ms / MINUTE_MS) * MINUTE_MS;

/**
 * The whole minutes of [from, to) as [fullFrom, fullTo), what per-minute rollups can answer; the
 * cut minutes at either edge ([from, fullFrom) and [fullTo, to)) must be counted from the rows. A
 * range inside one minute has none: fullFrom = fullTo = to, and everything is counted from the rows.
 */
export function wholeMinutes(r: { from: number; to: number }): { fullFrom: number; fullTo: number } {
  const fullFrom = Math.min(ceilMinute(r.from), r.to);
  return { fullFrom, fullTo: Math.max(floorMinute(r.to), fullFrom) };
}

/** A comma-separated query parameter as its trimmed, non-empty items. */
export const splitList = (v: string | undefined): string[] => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
