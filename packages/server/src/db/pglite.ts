import { PGlite } from '@electric-sql/pglite';
import type { Db, Queryable } from './types.js';
import { acquireDirLock } from './lock.js';

// Settings for the embedded database, given at every start (no reopen on a fresh directory, which
// kept a second PGlite's WebAssembly memory alive). max_wal_size: PGlite's default (1 GB) would let
// an embedded data directory carry a gigabyte of WAL. shared_buffers: Postgres's 128 MB lives inside
// the WebAssembly heap, which never shrinks; the files are in the OS page cache anyway, so 16 MB
// loses little and an idle `logsage start` holds about 120 MB less.
const START_PARAMS = [
  ...PGlite.defaultStartParams,
  '-c', 'max_wal_size=64MB',
  '-c', 'shared_buffers=16MB',
  '-c', 'wal_buffers=1MB',
  '-c', 'work_mem=4MB',
  '-c', 'maintenance_work_mem=32MB',
];

/** Opens PGlite in `dataDir` (in memory when undefined), holding the directory's lock file while open. */
export async function openPglite(dataDir: string | undefined): Promise<Db> {
  const release = dataDir ? acquireDirLock(dataDir) : () => undefined;
  let pg: PGlite;
  try {
    pg = await PGlite.create({ dataDir, startParams: START_PARAMS });
  } catch (err) {
    release();
    throw err;
  }
  let waiting = 0;
  const wrap = (c: Pick<PGlite, 'query'>): Queryable => ({
    async query<R>(text: string, params?: unknown[]) {
      const r = await c.query<R>(text, params);
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
    },
  });
  return {
    engine: 'pglite',
    ...wrap(pg),
    async transaction(fn) {
      waiting++;
      try {
        return await pg.transaction((tx) => fn(wrap(tx)));
      } finally {
        waiting--;
      }
    },
    poolStats: () => ({ total: 1, idle: waiting === 0 ? 1 : 0, waiting: Math.max(0, waiting - 1) }),
    async close() {
      try {
        await pg.close();
      } finally {
        release();
      }
    },
  };
}
