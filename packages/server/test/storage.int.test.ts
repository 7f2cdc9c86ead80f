import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listMigrations, migrate } from '../src/db/migrate.js';
import { openPglite } from '../src/db/pglite.js';
import { openPostgres } from '../src/db/postgres.js';
import type { Db } from '../src/db/types.js';
import { dropExpiredPartitions, ensurePartitions } from '../src/modules/retention/index.js';
import { ENGINES, createPgDatabase, type Engine } from './helpers.js';

const DAY = 86_400_000;
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function openEngine(engine: Engine): Promise<Db> {
  if (engine === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'logsage-store-'));
    const db = await openPglite(dir);
    cleanups.push(async () => (await db.close(), rmSync(dir, { recursive: true, force: true })));
    return db;
  }
  const d = await createPgDatabase();
  const db = openPostgres({ connectionString: d.url, poolMax: 2, statementTimeoutMs: 10_000, connectTimeoutMs: 2000 });
  cleanups.push(async () => (await db.close(), await d.drop()));
  return db;
}

describe.each(ENGINES)('storage on %s', (engine) => {
  it('applies every migration once, and a second run applies none', async () => {
    const db = await openEngine(engine);
    expect(await migrate(db)).toEqual(listMigrations().map((m) => m.version));
    expect(await migrate(db)).toEqual([]);
    const kind = await db.query<{ relkind: string }>("SELECT relkind FROM pg_class WHERE relname = 'logs'");
    expect(kind.rows[0]?.relkind).toBe('p'); // partitioned
    const idx = await db.query<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE tablename = 'logs' ORDER BY 1");
    expect(idx.rows.map((r) => r.indexname)).toEqual(
      expect.arrayContaining(['logs_level_ts_idx', 'logs_message_fts_idx', 'logs_service_ts_idx', 'logs_pkey']),
    );
    // Event ids are unique on their own, in their own table (a logs index must hold the partition key).
    expect(idx.rows.map((r) => r.indexname)).not.toContain('logs_event_id_idx');
    const ids = await db.query<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE tablename = 'log_event_ids' ORDER BY 1");
    expect(ids.rows.map((r) => r.indexname)).toEqual(['log_event_ids_pkey', 'log_event_ids_ts_idx']);
  });

  it('creates daily partitions ahead and drops whole expired ones', async () => {
    const db = await openEngine(engine);
    await migrate(db);
    const now = Date.parse('2026-03-10T12:00:00Z');
    const created = await ensurePartitions(db, now, 2);
    expect(created).toEqual(['logs_p20260308', 'logs_p20260309', 'logs_p20260310', 'logs_p20260311', 'logs_p20260312', 'logs_p20260313']);
    expect(await ensurePartitions(db, now, 2)).toEqual([]);
    await db.query(
      `INSERT INTO logs (ts, level, service, message) VALUES ('2026-03-08T01:00:00Z', 'info', 's', 'old'), ('2026-03-10T01:00:00Z', 'info', 's', 'kept')`,
    );
    await db.query(`INSERT INTO log_event_ids (event_id, ts) VALUES ('old-id', '2026-03-09T23:59:59Z'), ('kept-id', '2026-03-10T00:00:00Z')`);
    // Two days later the 8th and 9th fall out of a two-day window.
    expect(await dropExpiredPartitions(db, now + 2 * DAY, 2)).toEqual(['logs_p20260308', 'logs_p20260309']);
    const left = await db.query<{ message: string }>('SELECT message FROM logs');
    expect(left.rows.map((r) => r.message)).toEqual(['kept']);
    const ids = await db.query<{ event_id: string }>('SELECT event_id FROM log_event_ids');
    expect(ids.rows.map((r) => r.event_id)).toEqual(['kept-id']);
  });
});

describe('the PGlite data directory', () => {
  it('keeps the WAL small', async () => {
    const db = await openEngine('pglite');
    expect((await db.query<{ max_wal_size: string }>('SHOW max_wal_size')).rows[0]?.max_wal_size).toBe('64MB');
  });
});

describe('the PGlite data directory lock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'logsage-lock-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const script = `import('${new URL('../src/db/pglite.ts', import.meta.url).pathname}').then(async (m) => {
    try { const db = await m.openPglite(process.argv[1]); await db.close(); console.log('opened'); }
    catch (e) { console.log('refused: ' + e.message); process.exitCode = 3; } })`;
  const second = () => spawnSync(process.execPath, ['--import', 'tsx', '-e', script, dir], { encoding: 'utf8', timeout: 60_000 });

  it('makes a second process refuse the directory with a clear message', async () => {
    const db = await openPglite(dir);
    try {
      const r = second();
      expect(r.status).toBe(3);
      expect(r.stdout).toContain(`data directory ${dir} is in use by process ${process.pid}`);
    } finally {
      await db.close();
    }
  });

  it('takes over a lock left by a dead process', () => {
    writeFileSync(join(dir, 'logsage.lock'), '2147483646\n');
    const r = second();
    expect(r.stdout.trim()).toBe('opened');
    expect(r.status).toBe(0);
  });
});
