import type { Config } from '../config/index.js';
import { migrate } from './migrate.js';
import { openPglite } from './pglite.js';
import { createApart } from './pglite-apart.js';
import { openPostgres } from './postgres.js';
import type { Db } from './types.js';

export type { Db, Queryable } from './types.js';
export { migrate } from './migrate.js';
export { openReadDatabase, replicaStatus, type ReplicaStatus } from './replica.js';

/** Opens PostgreSQL when configured, otherwise PGlite in DATA_DIR, and applies the migrations. */
export async function openDatabase(cfg: Config): Promise<Db> {
  // A new embedded database is created and migrated in a short-lived child process first
  // (pglite-apart.ts); the migrate below then finds nothing to do.
  if (!cfg.databaseUrl && cfg.DATA_DIR) await createApart(cfg.DATA_DIR);
  const db = cfg.databaseUrl
    ? openPostgres({
        connectionString: cfg.databaseUrl,
        poolMax: cfg.DB_POOL_MAX,
        statementTimeoutMs: cfg.QUERY_TIMEOUT_MS,
        connectTimeoutMs: cfg.DB_CONNECT_TIMEOUT_MS,
      })
    : await openPglite(cfg.DATA_DIR);
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}
