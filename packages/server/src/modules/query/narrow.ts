import type { Queryable } from '../../db/types.js';
import { MINUTE_MS, ceilMinute, floorMinute } from '../../lib/range.js';
import { parseTimestamp, toPgTimestamp } from '../../lib/time.js';
import type { LogFilter } from './repo-logs.js';
import { anyInMinutes, minuteEdges, type RollupFilter } from './repo-rollups.js';

// How many times `limit` rows the successive windows of an inexact search are sized for: a filter
// the counts cannot see (text, or level with analysis filters) keeps a share of the counted rows.
const EXACT_TARGETS = [1];
const INEXACT_TARGETS = [1, 8, 64, 512];

/**
 * Cuts a filtered log search into time windows, read in order until the page is full, using the
 * per-minute rollups. Without it a service + level filter matching nothing walks the whole service
 * index (1.3 s over a million logs), and a rare filter reads every log of the range to fill a page.
 *
 * Returns no window when no minute of the range counts a matching row (the page is empty). Else the
 * first window reaches back (desc) or forward (asc) only to the minute where the counts reach
 * `limit` rows (or a multiple of it, when other filters keep only a share of them), the next ones
 * further, and the last one to the end of the range. Only whole minutes count: the minutes cut by
 * from, to or the cursor hold fewer matching rows than their counters say. Every window is read
 * with every filter and the cursor, so the pages are those of one read of the whole range; counts
 * that ran ahead of the logs (rows deleted by hand) only cost a further window.
 */
export async function searchWindows(q: Queryable, f: LogFilter): Promise<LogFilter[]> {
  // The rollups do not count templates; the results' (template_id, ts) index serves that filter.
  if ((f.templates?.length ?? 0) > 0) return [f];
  const analysis = f.anomaly !== undefined || (f.severities?.length ?? 0) > 0;
  if (!analysis && f.services.length === 0 && f.levels.length === 0 && !f.q) return [f];
  const exact = !f.q && (!analysis || f.levels.length === 0);
  const b = bounds(f);
  if (b.hi <= b.lo) return [f];
  const source = analysis ? 'analysis' : 'logs';
  const rf: RollupFilter = { services: f.services, levels: f.levels, anomaly: f.anomaly, severities: f.severities ?? [] };
  // A text search alone has no counter of its own: all logs per minute size its windows.
  if (f.services.length + f.levels.length > 0 || analysis) {
    if (!(await anyInMinutes(q, source, rf, { lo: toPgTimestamp(b.lo), hi: toPgTimestamp(b.hi) }))) return [];
  }
  const targets = (exact ? EXACT_TARGETS : INEXACT_TARGETS).map((k) => k * f.limit);
  const edges = await minuteEdges(q, source, rf, { lo: toPgTimestamp(b.fullLo), hi: toPgTimestamp(b.fullHi), targets, order: f.order });
  const windows: LogFilter[] = [];
  let near = f.order === 'desc' ? f.to : f.from;
  for (const edge of edges) {
    if (edge === null) break;
    // desc reads [edge, near), asc reads [near, edge + 1 minute): the edge minute belongs to the window.
    const cut = f.order === 'desc' ? toPgTimestamp(parseTimestamp(edge)!) : toPgTimestamp(parseTimestamp(edge)! + MINUTE_MS);
    if (cut === near) continue;
    windows.push(f.order === 'desc' ? { ...f, from: cut, to: near } : { ...f, from: near, to: cut });
    near = cut;
  }
  windows.push(f.order === 'desc' ? { ...f, to: near } : { ...f, from: near });
  return windows;
}

/**
 * The minutes a search can see ([lo, hi): cut ones included) and its whole minutes ([fullLo,
 * fullHi)), in epoch ms. After a cursor, desc keeps ts <= the cursor's, asc ts >= it.
 */
function bounds(f: LogFilter): { lo: number; hi: number; fullLo: number; fullHi: number } {
  const from = parseTimestamp(f.from)!;
  const to = parseTimestamp(f.to)!;
  const at = f.after ? parseTimestamp(f.after.ts)! : undefined;
  if (at === undefined) return { lo: floorMinute(from), hi: to, fullLo: ceilMinute(from), fullHi: floorMinute(to) };
  if (f.order === 'desc') {
    return { lo: floorMinute(from), hi: Math.min(to, floorMinute(at) + MINUTE_MS), fullLo: ceilMinute(from), fullHi: Math.min(floorMinute(to), floorMinute(at)) };
  }
  return { lo: Math.max(floorMinute(from), floorMinute(at)), hi: to, fullLo: Math.max(ceilMinute(from), floorMinute(at) + MINUTE_MS), fullHi: floorMinute(to) };
}
