import type { Db, Queryable } from '../../db/types.js';

const DAY_MS = 86_400_000;
const PARTITION_LOCK_KEY = 4_711_002;
/** Days of partitions created ahead of today, so a midnight never finds its partition missing. */
export const AHEAD_DAYS = 3;
/** How far in the future an event timestamp may lie (clock skew between shippers and server). */
export const MAX_FUTURE_MS = DAY_MS;

const dayStart = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;
const partitionName = (dayMs: number): string => `logs_p${new Date(dayMs).toISOString().slice(0, 10).replaceAll('-', '')}`;

/** The event-time window ingestion accepts: from the oldest retained day to a day ahead of `now`. */
export function acceptWindow(now: number, retentionDays: number): { min: number; max: number } {
  return { min: dayStart(now) - retentionDays * DAY_MS, max: now + MAX_FUTURE_MS };
}

async function existingPartitions(q: Queryable): Promise<string[]> {
  const r = await q.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid
       JOIN pg_class p ON p.oid = i.inhparent
      WHERE p.relname = 'logs' AND p.relnamespace = to_regnamespace(current_schema())`,
  );
  return r.rows.map((row) => row.name);
}

/** Creates the daily partitions covering the retention window and AHEAD_DAYS ahead; returns the new ones. */
export async function ensurePartitions(db: Db, now: number, retentionDays: number): Promise<string[]> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK_KEY]);
    const have = new Set(await existingPartitions(tx));
    const created: string[] = [];
    for (let d = dayStart(now) - retentionDays * DAY_MS; d <= dayStart(now) + AHEAD_DAYS * DAY_MS; d += DAY_MS) {
      const name = partitionName(d);
      if (have.has(name)) continue;
      const from = new Date(d).toISOString();
      const to = new Date(d + DAY_MS).toISOString();
      await tx.query(`CREATE TABLE ${name} PARTITION OF logs FOR VALUES FROM ('${from}') TO ('${to}')`);
      created.push(name);
    }
    return created;
  });
}

/**
 * Drops whole partitions older than the retention window (never row-by-row deletes), and the
 * per-minute log counts and event ids of the same days in the same transaction; returns the partitions' names.
 */
export async function dropExpiredPartitions(db: Db, now: number, retentionDays: number): Promise<string[]> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK_KEY]);
    const oldestDay = dayStart(now) - retentionDays * DAY_MS;
    const oldest = partitionName(oldestDay);
    // Names sort by date, so a string comparison finds every partition before the oldest kept day.
    const expired = (await existingPartitions(tx)).filter((n) => /^logs_p\d{8}$/.test(n) && n < oldest).sort();
    for (const name of expired) await tx.query(`DROP TABLE ${name}`);
    // Same boundary as the partitions: the counts left always add up to the logs left.
    await tx.query('DELETE FROM log_counts_minute WHERE minute < $1::timestamptz', [new Date(oldestDay).toISOString()]);
    // And the event ids of the dropped logs: a resend older than retention is refused by its time anyway.
    await tx.query('DELETE FROM log_event_ids WHERE ts < $1::timestamptz', [new Date(oldestDay).toISOString()]);
    return expired;
  });
}
