import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Db, Queryable } from './types.js';
import { acquireDirLock } from './lock.js';

// PGlite's default max_wal_size (1 GB) would let an embedded data directory carry a gigabyte of WAL.
const WAL_SETTING = "max_wal_size = '64MB'";

/** Opens PGlite; on a directory not yet tuned, writes the WAL limit to its config and reopens once. */
async function createTuned(dataDir: string | undefined): Promise<PGlite> {
  const pg = await PGlite.create({ dataDir });
  if (!dataDir) return pg;
  const conf = join(dataDir, 'postgresql.auto.conf');
  if (existsSync(conf) && readFileSync(conf, 'utf8').includes(WAL_SETTING)) return pg;
  await pg.close();
  appendFileSync(conf, `\n${WAL_SETTING}\n`);
  return PGlite.create({ dataDir });
}

/** Opens PGlite in `dataDir` (in memory when undefined), holding the directory's lock file while open. */
export async function openPglite(dataDir: string | undefined): Promise<Db> {
  const release = dataDir ? acquireDirLock(dataDir) : () => undefined;
  let pg: PGlite;
  try {
    pg = await createTuned(dataDir);
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
