import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../src/db/index.js';
import { Assigner } from '../src/modules/analysis/assigner.js';
import { shardOfService, tryLockShard } from '../src/modules/analysis/repo-assign.js';
import { KINDS, startPipelineServer, testStore, type PipelineServer } from './pipeline-helpers.js';

// The assign pass is sharded by service: workers mine disjoint services at once, a shard held by
// one worker is left alone by the others, and a pass killed half-way leaves nothing behind.

const CLI = new URL('../src/cli.ts', import.meta.url).pathname;
const TSX = import.meta.resolve('tsx');
const SHARDS = 4;

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

/** `perService` error lines for each of `services` services, from the shared line shapes. */
function buildLogs(services: number, perService: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let s = 0; s < services; s++) {
    for (let i = 0; i < perService; i++) {
      const kind = KINDS[(s + i) % KINDS.length] ?? '';
      out.push({ timestamp: new Date(Date.now() - 60_000 + i).toISOString(), level: 'error', service: `svc-${s}`, message: kind.replaceAll('{}', String(100 + i * 13 + s)) });
    }
  }
  return out;
}

/** A server with no roles (ingest and the database only) on its own PostgreSQL database. */
async function start(): Promise<{ s: PipelineServer; store: Awaited<ReturnType<typeof testStore>> }> {
  const store = await testStore('postgres');
  const s = await startPipelineServer({ ...store, remove: async () => undefined }, {}, { roles: [], provider: false });
  cleanups.push(async () => {
    await s.cleanup();
    await store.remove();
  });
  return { s, store };
}

async function connect(s: PipelineServer): Promise<Db> {
  const db = await openDatabase(s.cfg);
  cleanups.push(() => db.close());
  return db;
}

const one = async (db: Db, sql: string): Promise<string> => (await db.query<{ v: string }>(sql)).rows[0]?.v ?? '';

/** Runs the assigners side by side until a round of each finds nothing left. */
async function drain(assigners: Assigner[]): Promise<void> {
  for (;;) {
    const rounds = await Promise.all(assigners.map((a) => a.run()));
    if (rounds.every((r) => r.assigned === 0)) return;
  }
}

/** Every log keyed, and counted exactly once in the templates and in the hourly counts. */
async function expectAssignedOnce(db: Db, total: number): Promise<void> {
  expect(await one(db, `SELECT count(*)::text AS v FROM analysis_pending WHERE verdict_key IS NULL`)).toBe('0');
  expect(await one(db, `SELECT count(*)::text AS v FROM analysis_pending WHERE verdict_key IS NOT NULL`)).toBe(String(total));
  expect(await one(db, `SELECT sum(count)::text AS v FROM log_templates`)).toBe(String(total));
  expect(await one(db, `SELECT sum(count)::text AS v FROM template_counts_hour`)).toBe(String(total));
}

describe('sharded assign pass on PostgreSQL', () => {
  it('two assigners work on disjoint shards at once, and every log is assigned exactly once', async () => {
    const { s } = await start();
    const logs = buildLogs(8, 30);
    await s.ingest(logs);
    const [a, b, holder] = [await connect(s), await connect(s), await connect(s)];
    const held = await shardOfService(holder, 'svc-0', SHARDS);
    const heldServices: string[] = [];
    for (let i = 0; i < 8; i++) if ((await shardOfService(holder, `svc-${i}`, SHARDS)) === held) heldServices.push(`svc-${i}`);
    const first = new Assigner(a, 50, SHARDS);
    const second = new Assigner(b, 50, SHARDS);

    // A third worker holds one shard mid-pass: both assigners run the other shards meanwhile.
    await holder.transaction(async (tx) => {
      expect(await tryLockShard(tx, { index: held, count: SHARDS })).toBe(true);
      await drain([first, second]);
    });
    const waiting = await a.query<{ service: string; n: string }>(
      `SELECT l.service, count(*)::text AS n FROM analysis_pending p JOIN logs l ON l.id = p.log_id
        WHERE p.verdict_key IS NULL GROUP BY 1 ORDER BY 1`,
    );
    expect(waiting.rows).toEqual(heldServices.sort().map((service) => ({ service, n: '30' })));

    await drain([first, second]);
    await expectAssignedOnce(a, logs.length);
    // Each shard with services has its own saved miner.
    const shards = new Set<number>();
    for (let i = 0; i < 8; i++) shards.add(await shardOfService(a, `svc-${i}`, SHARDS));
    expect(await one(a, `SELECT count(*)::text AS v FROM miner_shards WHERE shards = ${SHARDS}`)).toBe(String(shards.size));
  }, 60_000);

  it('a worker process killed mid-pass assigns nothing, and the next worker assigns every log once', async () => {
    const { s, store } = await start();
    const [db, blocker] = [await connect(s), await connect(s)];
    // A first round of lines makes the templates; the second round, of the same shapes, is what the
    // worker process takes on and dies in the middle of.
    const before = buildLogs(6, 20);
    await s.ingest(before);
    await drain([new Assigner(db, 100, SHARDS)]);
    const logs = buildLogs(6, 40);
    await s.ingest(logs);
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      DATABASE_URL: store.env.DATABASE_URL ?? '',
      DATA_DIR: store.env.DATA_DIR ?? '',
      AI_SERVICE_URL: '127.0.0.1:1',
      LOG_LEVEL: 'warn',
    };
    // The template rows are locked, so the worker's pass stops half-way: shard held, lines mined,
    // nothing counted or keyed yet. It is killed there.
    await blocker.transaction(async (tx) => {
      await tx.query(`SELECT id FROM log_templates FOR UPDATE`);
      const child = spawn(process.execPath, ['--import', TSX, CLI, 'worker'], { env, stdio: 'ignore' });
      const exited = new Promise((r) => child.on('exit', r));
      cleanups.push(async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        await exited;
      });
      const stuck = async (): Promise<boolean> =>
        (await one(db, `SELECT count(*)::text AS v FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO log_templates%'`)) !== '0';
      expect(await s.until(stuck, 60_000)).toBe(true);
      child.kill('SIGKILL');
      await exited;
    });
    // The killed worker's session ends once its blocked statement returns to a closed socket.
    const gone = async (): Promise<boolean> =>
      (await one(db, `SELECT count(*)::text AS v FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND query LIKE 'INSERT INTO log_templates%' AND state <> 'idle'`)) === '0';
    expect(await s.until(gone, 20_000)).toBe(true);
    expect(await one(db, `SELECT count(*)::text AS v FROM analysis_pending WHERE verdict_key IS NULL`)).toBe(String(logs.length));
    expect(await one(db, `SELECT sum(count)::text AS v FROM log_templates`)).toBe(String(before.length));

    await drain([new Assigner(db, 100, SHARDS)]);
    await expectAssignedOnce(db, before.length + logs.length);
  }, 120_000);
});
