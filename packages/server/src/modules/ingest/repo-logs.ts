import { epochBin } from '../../db/sql.js';
import type { Queryable } from '../../db/types.js';
import type { LogRow } from './normalize.js';
import { toPgTimestamp } from '../../lib/time.js';
import { cjkSearchText } from '../../lib/cjk.js';

/**
 * Inserts many rows in one statement (unnest of column arrays), skipping event ids already stored
 * within the retention window whatever their timestamp,
 * marks the new rows of the `analysed` levels pending analysis (so no log is ever stored without its
 * analysis being owed) and adds the new rows to the per-minute counts (log_counts_minute), all in
 * one statement. Rows must carry distinct event ids. Returns how
 * many were inserted and the positions (0-based) of the rows with an event id that were new, so
 * callers can count duplicates per request.
 */
export async function insertLogs(
  q: Queryable,
  rows: LogRow[],
  analysed: readonly string[],
  services: ServiceSpan[],
): Promise<{ inserted: number; newEventRows: Set<number> }> {
  const ts: string[] = [], level: string[] = [], service: string[] = [], message: string[] = [];
  const attrs: string[] = [], eventId: (string | null)[] = [], search: (string | null)[] = [];
  for (const r of rows) {
    ts.push(toPgTimestamp(r.ts));
    level.push(r.level);
    service.push(r.service);
    message.push(r.message);
    attrs.push(JSON.stringify(r.attributes));
    eventId.push(r.eventId);
    search.push(cjkSearchText(r.message));
  }
  // Event ids are claimed first, in id order (concurrent flushes lock them in one order and cannot
  // deadlock); a log with an id is stored only if its id was new, whatever its timestamp. The rollup
  // counts what RETURNING gives, so resent duplicates are never counted; it upserts in key order too.
  const res = await q.query<{ n: number | string; inserted: number | string }>(
    `WITH input AS (
       SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::text[], $8::text[])
         WITH ORDINALITY AS u(ts, level, service, message, attributes, event_id, search_text, n)),
     ids AS (
       INSERT INTO log_event_ids (event_id, ts)
       SELECT event_id, ts FROM input WHERE event_id IS NOT NULL ORDER BY event_id
       ON CONFLICT (event_id) DO NOTHING
       RETURNING event_id),
     ins AS (
       INSERT INTO logs (ts, level, service, message, attributes, event_id, search_text)
       SELECT ts, level, service, message, attributes, event_id, search_text FROM input
        WHERE event_id IS NULL OR event_id IN (SELECT event_id FROM ids) ORDER BY n
       RETURNING id, event_id, ts, level, service),
     pending AS (
       INSERT INTO analysis_pending (log_id, ts) SELECT id, ts FROM ins WHERE level = ANY($7::text[])),
     rollup AS (
       INSERT INTO log_counts_minute (minute, service, level, count)
       SELECT ${epochBin("'1 minute'::interval", 'ts')}, service, level, count(*)
         FROM ins GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
       ON CONFLICT (minute, service, level) DO UPDATE SET count = log_counts_minute.count + EXCLUDED.count)
     SELECT input.n, (SELECT count(*) FROM ins) AS inserted
       FROM input JOIN ids ON ids.event_id = input.event_id
     UNION ALL SELECT 0, (SELECT count(*) FROM ins)`,
    [ts, level, service, message, attrs, eventId, analysed, search],
  );
  const newEventRows = new Set<number>();
  let inserted = 0;
  for (const r of res.rows) {
    inserted = Number(r.inserted);
    if (Number(r.n) > 0) newEventRows.add(Number(r.n) - 1);
  }
  if (services.length > 0) await upsertServices(q, services);
  return { inserted, newEventRows };
}

/** A service's first and last event times (epoch ms) among some rows. */
export interface ServiceSpan {
  name: string;
  first: number;
  last: number;
}

async function upsertServices(q: Queryable, spans: ServiceSpan[]): Promise<void> {
  const sorted = [...spans].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)); // a fixed order keeps concurrent upserts from deadlocking
  await q.query(
    `INSERT INTO services (name, first_seen, last_seen)
     SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[])
     ON CONFLICT (name) DO UPDATE SET first_seen = LEAST(services.first_seen, EXCLUDED.first_seen),
                                      last_seen = GREATEST(services.last_seen, EXCLUDED.last_seen)`,
    [sorted.map((s) => s.name), sorted.map((s) => toPgTimestamp(s.first)), sorted.map((s) => toPgTimestamp(s.last))],
  );
}

/**
 * Merges the full-text index's pending lists (fastupdate) into the index, partition by partition,
 * on a connection of its own: otherwise the insert that overflows a list merges it inside a
 * request. Returns how many pages were merged.
 */
export async function mergeSearchPendingLists(q: Queryable): Promise<number> {
  const r = await q.query<{ pages: number | string | null }>(
    `SELECT sum(gin_clean_pending_list(h.inhrelid::regclass)) AS pages
       FROM pg_inherits h WHERE h.inhparent = to_regclass('logs_message_fts_idx')`,
  );
  return Number(r.rows[0]?.pages ?? 0);
}
