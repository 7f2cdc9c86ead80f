import { epochBin, utcText } from '../../db/sql.js';
import type { Queryable } from '../../db/types.js';
import type { TemplateKeying } from './verdict-key.js';

// SQL of the assign pass: pending logs get a template and a verdict key.

export interface UnassignedLog {
  log_id: string;
  ts: string;
  level: string | null;
  service: string | null;
  message: string | null;
  /** Set when the log was assigned before (sent back by a parameter-dependent verdict). */
  template_id: string | null;
}

/** A shard of the assign pass: services are hashed into `count` shards, numbered from 0. */
export interface Shard {
  index: number;
  count: number;
}

// Advisory lock keys of the assign shards: base + shard index. The base differs from the pre-shard
// lock (7340001), so a process of the previous version and a sharded one never share a key.
const SHARD_LOCK_BASE = 7_340_100;

/**
 * Takes the shard for the rest of the transaction if no other process holds it; false when one
 * does (that worker is assigning these services now, so this one moves on to another shard).
 */
export async function tryLockShard(q: Queryable, shard: Shard): Promise<boolean> {
  const r = await q.query<{ ok: boolean }>(`SELECT pg_try_advisory_xact_lock($1::bigint) AS ok`, [SHARD_LOCK_BASE + shard.index]);
  return r.rows[0]?.ok === true;
}

// A log's shard from its service; a log gone to retention has no service and falls in the shard of
// '' so exactly one shard drops its pending entry.
const SHARD_OF = `(hashtext(coalesce(l.service, '')) & 2147483647) % $2`;

/** The shard whose pass assigns the logs of `service`. */
export async function shardOfService(q: Queryable, service: string, count: number): Promise<number> {
  const r = await q.query<{ shard: number }>(`SELECT ${SHARD_OF.replace('l.service', '$1::text')}::int AS shard`, [service, count]);
  return r.rows[0]?.shard ?? 0;
}

/**
 * The event time (ms) of the oldest line the assign pass has not reached yet, in the order it works
 * (log id, i.e. arrival), or null when every stored line has its template. Counts per minute are
 * complete up to this time, give or take lines that arrived out of order: readers of those counts
 * (the incident loop) wait for it rather than judge a minute whose lines are still uncounted, which
 * would read as every chatty template falling silent. One probe of the unassigned index.
 */
export async function oldestUnassignedTs(q: Queryable): Promise<number | null> {
  const r = await q.query<{ ms: string }>(
    `SELECT (EXTRACT(EPOCH FROM ts) * 1000)::bigint::text AS ms FROM analysis_pending WHERE verdict_key IS NULL ORDER BY log_id LIMIT 1`,
  );
  return r.rows[0] ? Number(r.rows[0].ms) : null;
}

/**
 * Oldest pending logs of the shard without a verdict key, with their text (null when the log is
 * gone). The pending table has no service column (the ingest insert does not carry one), so the
 * shard is found through the log: the pass reads a window of the oldest pending rows, `limit` per
 * shard, and keeps its own. The window bounds the work when one shard's services hold the oldest
 * rows, and the log is looked up row by row (LATERAL … LIMIT 1 is never turned into a join): with
 * the statistics of a table that empties and refills all day, the planner chose a hash join over a
 * sequential scan of the whole day's logs for every pass.
 */
export async function unassignedLogs(q: Queryable, limit: number, shard: Shard): Promise<UnassignedLog[]> {
  // The oldest rows are read down the partial index in order. Planned on an estimate of a few rows,
  // the window came from a bitmap scan and a sort of the whole backlog instead (120 ms at 90k rows,
  // and more with every row), so under sustained ingest each pass slowed as the backlog grew and the
  // backlog grew without bound. Set for this statement only: the rest of the pass plans as usual.
  await q.query(`SET LOCAL enable_bitmapscan = off`);
  await q.query(`SET LOCAL enable_sort = off`);
  const r = await q.query<UnassignedLog>(
    `SELECT p.log_id::text AS log_id, ${utcText('p.ts')} AS ts, l.level, l.service, l.message, p.template_id
       FROM (SELECT log_id, ts, template_id FROM analysis_pending WHERE verdict_key IS NULL ORDER BY log_id LIMIT $4) p
       LEFT JOIN LATERAL (SELECT level, service, message FROM logs WHERE id = p.log_id AND ts = p.ts LIMIT 1) l ON true
      WHERE ${SHARD_OF} = $3
      ORDER BY p.log_id LIMIT $1`,
    [limit, shard.count, shard.index, limit * shard.count],
  );
  await q.query(`SET LOCAL enable_bitmapscan TO DEFAULT`);
  await q.query(`SET LOCAL enable_sort TO DEFAULT`);
  return r.rows;
}

/** Forgets pending entries whose log no longer exists (dropped by retention). */
export async function dropPending(q: Queryable, logIds: string[]): Promise<void> {
  if (logIds.length > 0) await q.query(`DELETE FROM analysis_pending WHERE log_id = ANY($1::bigint[])`, [logIds]);
}

export interface TemplateUpdate {
  id: string;
  template: string;
  sample: string;
  count: number;
  firstSeen: string;
  lastSeen: string;
}

/** Adds this pass's counts to the templates; returns how the parameter-dependent ones key their lines. */
export async function upsertTemplates(q: Queryable, t: TemplateUpdate[]): Promise<Map<string, TemplateKeying>> {
  const r = await q.query<{ id: string; parameter_dependent: boolean; key_params: number[] | null; key_template: string | null }>(
    `INSERT INTO log_templates (id, template, sample, count, first_seen, last_seen)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::timestamptz[], $6::timestamptz[])
     ON CONFLICT (id) DO UPDATE SET template = EXCLUDED.template, count = log_templates.count + EXCLUDED.count,
       first_seen = LEAST(log_templates.first_seen, EXCLUDED.first_seen),
       last_seen = GREATEST(log_templates.last_seen, EXCLUDED.last_seen)
     RETURNING id, parameter_dependent, key_params, key_template`,
    [t.map((x) => x.id), t.map((x) => x.template), t.map((x) => x.sample), t.map((x) => x.count), t.map((x) => x.firstSeen), t.map((x) => x.lastSeen)],
  );
  return new Map(
    r.rows.filter((x) => x.parameter_dependent).map((x) => [x.id, { parameterDependent: true, keyParams: x.key_params, keyTemplate: x.key_template }]),
  );
}

/**
 * Adds `delta` logs (+1, or -1 for a log moved to another template) to the hourly and the per-minute
 * counts per template and service, by event time, in one statement: the minutes the incident loop
 * reads and the hours the template list reads can never disagree about a committed pass.
 */
export async function addTemplateHours(q: Queryable, logs: { templateId: string; service: string; ts: string; delta: number }[]): Promise<void> {
  if (logs.length === 0) return;
  await q.query(
    `WITH u AS (SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::int[]) AS u(t, s, ts, d)),
     hours AS (
       INSERT INTO template_counts_hour (hour, template_id, service, count)
       SELECT ${epochBin("'1 hour'::interval", 'ts')}, t, s, sum(d) FROM u
        GROUP BY 1, 2, 3 ORDER BY 2, 1, 3
       ON CONFLICT (template_id, hour, service) DO UPDATE SET count = template_counts_hour.count + EXCLUDED.count)
     INSERT INTO template_counts_minute (minute, template_id, service, count)
     SELECT ${epochBin("'1 minute'::interval", 'ts')}, t, s, sum(d) FROM u
      GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
     ON CONFLICT (minute, template_id, service) DO UPDATE SET count = template_counts_minute.count + EXCLUDED.count`,
    [logs.map((x) => x.templateId), logs.map((x) => x.service), logs.map((x) => x.ts), logs.map((x) => x.delta)],
  );
}

export interface KeyRequest {
  key: string;
  templateId: string;
  representativeId: string;
  representativeTs: string;
}

/**
 * Makes sure every key has a verdict row: new keys open, expired verdicts reopen with this pass's
 * representative. Runs under the row locks of the upsert, so the states returned are current:
 * a verdict finishing concurrently either sees these logs pending or is seen here as done.
 */
export async function requestVerdicts(q: Queryable, reqs: KeyRequest[]): Promise<Map<string, string>> {
  const r = await q.query<{ key: string; state: string }>(
    `INSERT INTO verdicts (key, template_id, state, representative_id, representative_ts)
     SELECT k, t, 'open', rid, rts FROM unnest($1::text[], $2::text[], $3::bigint[], $4::timestamptz[]) AS u(k, t, rid, rts)
     ON CONFLICT (key) DO UPDATE SET
       state = CASE WHEN verdicts.state = 'done' AND verdicts.expires_at <= now() THEN 'open' ELSE verdicts.state END,
       representative_id = CASE WHEN verdicts.state = 'done' AND verdicts.expires_at <= now() THEN EXCLUDED.representative_id ELSE verdicts.representative_id END,
       representative_ts = CASE WHEN verdicts.state = 'done' AND verdicts.expires_at <= now() THEN EXCLUDED.representative_ts ELSE verdicts.representative_ts END,
       requested_at = CASE WHEN verdicts.state = 'done' AND verdicts.expires_at <= now() THEN now() ELSE verdicts.requested_at END,
       attempts = CASE WHEN verdicts.state = 'done' AND verdicts.expires_at <= now() THEN 0 ELSE verdicts.attempts END
     RETURNING key, state`,
    [reqs.map((x) => x.key), reqs.map((x) => x.templateId), reqs.map((x) => x.representativeId), reqs.map((x) => x.representativeTs)],
  );
  return new Map(r.rows.map((x) => [x.key, x.state]));
}

/** Records each pending log's template and verdict key. */
export async function assignKeys(q: Queryable, a: { logId: string; templateId: string; key: string }[]): Promise<void> {
  await q.query(
    `UPDATE analysis_pending p SET template_id = u.t, verdict_key = u.k
       FROM unnest($1::bigint[], $2::text[], $3::text[]) AS u(id, t, k) WHERE p.log_id = u.id`,
    [a.map((x) => x.logId), a.map((x) => x.templateId), a.map((x) => x.key)],
  );
}

/** The shard's miner version (0 when none was saved yet). */
export async function minerVersion(q: Queryable, shard: Shard): Promise<number> {
  const r = await q.query<{ version: string }>(`SELECT version::text FROM miner_shards WHERE shards = $1 AND shard = $2`, [shard.count, shard.index]);
  return r.rows[0] ? Number(r.rows[0].version) : 0;
}

/** The shard's miner snapshot and version; a shard never saved starts from the pre-shard snapshot (version 0). */
export async function loadMiner(q: Queryable, shard: Shard): Promise<{ version: number; snapshot: unknown } | undefined> {
  const r = await q.query<{ version: string; snapshot: unknown }>(
    `SELECT version::text, snapshot FROM (
       SELECT 0 AS o, version, snapshot FROM miner_shards WHERE shards = $1 AND shard = $2
       UNION ALL SELECT 1, 0, snapshot FROM miner_state WHERE id = 1) s
      ORDER BY o LIMIT 1`,
    [shard.count, shard.index],
  );
  const row = r.rows[0];
  return row ? { version: Number(row.version), snapshot: row.snapshot } : undefined;
}

/** Saves the shard's miner snapshot as its next version; returns that version. */
export async function saveMiner(q: Queryable, shard: Shard, snapshot: unknown): Promise<number> {
  const r = await q.query<{ version: string }>(
    `INSERT INTO miner_shards (shards, shard, version, snapshot) VALUES ($1, $2, 1, $3::jsonb)
     ON CONFLICT (shards, shard) DO UPDATE SET version = miner_shards.version + 1, snapshot = EXCLUDED.snapshot, updated_at = now()
     RETURNING version::text`,
    [shard.count, shard.index, JSON.stringify(snapshot)],
  );
  return Number(r.rows[0]?.version ?? 0);
}
