import pg from 'pg';
import type { Db, Queryable } from './types.js';

export interface PostgresOptions {
  connectionString: string;
  poolMax: number;
  statementTimeoutMs: number;
  connectTimeoutMs: number;
  /** Names the pool in pg_stat_activity (default logsage). */
  applicationName?: string;
  /** Every transaction read-only (default_transaction_read_only): the read pool's guard. */
  readOnly?: boolean;
}

/** Opens a `pg` pool; every connection carries a statement_timeout so no query runs unbounded. */
export function openPostgres(opts: PostgresOptions): Db {
  const pool = new pg.Pool({
    connectionString: opts.connectionString,
    max: opts.poolMax,
    connectionTimeoutMillis: opts.connectTimeoutMs,
    statement_timeout: opts.statementTimeoutMs,
    idleTimeoutMillis: 30_000,
    application_name: opts.applicationName ?? 'logsage',
    ...(opts.readOnly ? { options: '-c default_transaction_read_only=on' } : {}),
  });
  // A client losing its server emits 'error' (on the pool when idle, on the client when checked out);
  // unheard, that event kills the process. The failed query itself still rejects and is answered 503.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const wrap = (c: pg.Pool | pg.PoolClient): Queryable => ({
    async query<R>(text: string, params?: unknown[]) {
      const r = await c.query(text, params);
      return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
    },
  });
  return {
    engine: 'postgres',
    ...wrap(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn(wrap(client));
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => pool.end(),
  };
}
