import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import { openPostgres } from './postgres.js';
import type { Db, Queryable } from './types.js';

/** What /api/v1/status reports about the read replica. */
export interface ReplicaStatus {
  reachable: boolean;
  /** True while the server is a standby replaying WAL; false means DATABASE_READ_URL points at a primary. */
  standby: boolean | null;
  /** Seconds the replica's data is behind (0 when it has replayed all it received); null when unknown. */
  lag_seconds: number | null;
  /** Commit time of the last transaction replayed, ISO 8601. */
  last_replay: string | null;
  error: string | null;
}

/**
 * Opens the read pool on DATABASE_READ_URL, or returns undefined when it is not set (reads then use
 * the primary). No migrations run here: the replica receives them through WAL, and it refuses writes.
 */
export async function openReadDatabase(cfg: Config, log: Logger): Promise<Db | undefined> {
  if (!cfg.DATABASE_READ_URL) return undefined;
  const db = openPostgres({
    connectionString: cfg.DATABASE_READ_URL,
    poolMax: cfg.DB_POOL_MAX,
    statementTimeoutMs: cfg.QUERY_TIMEOUT_MS,
    connectTimeoutMs: cfg.DB_CONNECT_TIMEOUT_MS,
    applicationName: 'logsage-read',
    // Should the URL name a writable server (a promoted replica, a typo for the primary), a stray
    // write through this pool fails instead of forking the data away from the primary.
    readOnly: true,
  });
  // A replica that is down at start must not keep the api role from taking logs: reads answer 503 until it is back.
  const status = await replicaStatus(db);
  if (!status.reachable) log.warn({ error: status.error }, 'read replica (DATABASE_READ_URL) unavailable at start; reads answer 503 until it answers');
  else if (status.standby === false) log.warn('DATABASE_READ_URL is not a standby (pg_is_in_recovery() is false); reads go there anyway');
  return db;
}

/** Asks the replica how far behind it is: replay timestamp lag, zero once everything received is replayed. */
export async function replicaStatus(db: Queryable): Promise<ReplicaStatus> {
  try {
    const { rows } = await db.query<{ standby: boolean; lag_seconds: string | number | null; last_replay: string | null }>(
      `SELECT pg_is_in_recovery() AS standby,
              CASE WHEN NOT pg_is_in_recovery() THEN 0
                   -- An idle primary sends no commits: the replay timestamp ages although nothing is missing.
                   WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                   ELSE greatest(0, EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())) END AS lag_seconds,
              to_char(pg_last_xact_replay_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS last_replay`,
    );
    const row = rows[0];
    const lag = row?.lag_seconds ?? null;
    return { reachable: true, standby: row?.standby ?? null, lag_seconds: lag === null ? null : Number(lag), last_replay: row?.last_replay ?? null, error: null };
  } catch (err) {
    return { reachable: false, standby: null, lag_seconds: null, last_replay: null, error: err instanceof Error ? err.message : String(err) };
  }
}
