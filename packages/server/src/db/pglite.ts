import { PGlite } from '@electric-sql/pglite';
import type { Db, Queryable } from './types.js';
import { acquireDirLock } from './lock.js';

/** Opens PGlite in `dataDir` (in memory when undefined), holding the directory's lock file while open. */
export async function openPglite(dataDir: string | undefined): Promise<Db> {
  const release = dataDir ? acquireDirLock(dataDir) : () => undefined;
  let pg: PGlite;
  try {
    // A small max_wal_size keeps the embedded data directory from growing by a gigabyte of WAL.
    pg = await PGlite.create({ dataDir, startParams: ['-c', 'max_wal_size=64MB'] }).catch(() =>
      PGlite.create({ dataDir }),
    );
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
