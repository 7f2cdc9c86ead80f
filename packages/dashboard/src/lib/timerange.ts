// Time ranges of the log views. A quick range ("last hour") is stored as its name, not as two
// instants, so every poll re-reads the clock: a tab left open for a day still shows the last hour,
// not the hour it was opened in. An absolute range is two instants (ms since epoch).

export const QUICK_RANGES = ['15m', '1h', '6h', '24h', '7d'] as const;
export type QuickRange = (typeof QUICK_RANGES)[number];

export type TimeRange = { kind: 'quick'; key: QuickRange } | { kind: 'absolute'; from: number; to: number };

const MINUTE = 60_000;
const SPAN_MS: Record<QuickRange, number> = {
  '15m': 15 * MINUTE,
  '1h': 60 * MINUTE,
  '6h': 6 * 60 * MINUTE,
  '24h': 24 * 60 * MINUTE,
  '7d': 7 * 24 * 60 * MINUTE,
};

/** The range a view shows when the URL names none (the server's own default is 24 h too). */
export const DEFAULT_RANGE: TimeRange = { kind: 'quick', key: '24h' };

/** The two instants of a range, as ISO strings for the API; a quick range ends at `now`. */
export function resolveRange(range: TimeRange, now = Date.now()): { from: string; to: string } {
  if (range.kind === 'absolute') return { from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() };
  return { from: new Date(now - SPAN_MS[range.key]).toISOString(), to: new Date(now).toISOString() };
}

/** True when new logs can still arrive in the range (worth polling): quick ranges, or an absolute one ending in the future. */
export function isLive(range: TimeRange, now = Date.now()): boolean {
  return range.kind === 'quick' || range.to > now;
}

/** URL query of a range: `range=1h`, or `from`/`to` as ISO instants. The default range adds nothing. */
export function rangeToQuery(range: TimeRange): Record<string, string> {
  if (range.kind === 'absolute') return { from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() };
  return sameRange(range, DEFAULT_RANGE) ? {} : { range: range.key };
}

type QueryValue = string | null | (string | null)[] | undefined;

const first = (v: QueryValue): string | undefined => (Array.isArray(v) ? (v[0] ?? undefined) : (v ?? undefined));

/** Reads an instant from the URL: ISO 8601 or epoch milliseconds (both appear in hand-made links). */
function parseInstant(v: string | undefined): number | undefined {
  if (!v) return undefined;
  const ms = /^\d{10,16}$/.test(v) ? Number(v) : Date.parse(v);
  return Number.isFinite(ms) ? ms : undefined;
}

/** The range named by a URL query; anything unreadable (or from ≥ to) falls back to the default. */
export function rangeFromQuery(q: Record<string, QueryValue>): TimeRange {
  const from = parseInstant(first(q.from));
  const to = parseInstant(first(q.to));
  if (from !== undefined && to !== undefined && from < to) return { kind: 'absolute', from, to };
  const key = first(q.range);
  if (key && (QUICK_RANGES as readonly string[]).includes(key)) return { kind: 'quick', key: key as QuickRange };
  return DEFAULT_RANGE;
}

/** Same range? (used to avoid pushing an identical URL). */
export function sameRange(a: TimeRange, b: TimeRange): boolean {
  if (a.kind === 'quick') return b.kind === 'quick' && a.key === b.key;
  return b.kind === 'absolute' && a.from === b.from && a.to === b.to;
}
