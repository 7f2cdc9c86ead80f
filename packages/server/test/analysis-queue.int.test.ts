import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { startStandIn } from '@logsage/llm-stand-in';
import { inject } from 'vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { hasPostgres } from './helpers.js';
import { KINDS, startPipelineServer, templatedLogs, testStore, type PipelineServer } from './pipeline-helpers.js';

const REDIS = 'redis://127.0.0.1:6379';
const CLI = new URL('../src/cli.ts', import.meta.url).pathname;
const TSX = import.meta.resolve('tsx');

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function start(env: Record<string, string>, o: Parameters<typeof startPipelineServer>[2] = {}): Promise<PipelineServer> {
  const s = await startPipelineServer(await testStore('postgres'), env, o);
  cleanups.push(() => s.cleanup());
  return s;
}

const analysed = async (s: PipelineServer, n: number): Promise<boolean> =>
  (await s.count('analysis_results')) === n && (await s.count('analysis_pending')) === 0;

/** Forty line shapes: the twenty kinds under two different leading words. */
const FORTY = [...KINDS.map((k) => `billing ${k}`), ...KINDS.map((k) => `shipping ${k}`)];

describe.runIf(hasPostgres() && inject('hasRedis'))('analysis queue on Redis', () => {
  it('runs batches through BullMQ when Redis is configured', async () => {
    const s = await start({ REDIS_URL: REDIS, REDIS_PREFIX: `t-${randomUUID()}` });
    await s.ingest(templatedLogs(KINDS, 3));
    expect(await s.until(() => analysed(s, 60))).toBe(true);
    const stats = (await s.running.app.inject({ url: '/api/v1/queue/stats' })).json<{
      queue: { kind: string; healthy: Record<string, boolean>; jobs: Record<string, { completed: number }> };
    }>();
    expect(stats.queue.kind).toBe('redis+database');
    expect(stats.queue.healthy).toEqual({ redis: true, database: true });
    expect(stats.queue.jobs.redis?.completed).toBeGreaterThan(0);
    expect(stats.queue.jobs.database?.completed).toBe(0);
  });

  it('keeps analysing through the database while Redis is unreachable', async () => {
    const s = await start({ REDIS_URL: 'redis://127.0.0.1:1', REDIS_PREFIX: `t-${randomUUID()}` });
    await s.ingest(templatedLogs(KINDS, 2));
    expect(await s.until(() => analysed(s, 40))).toBe(true);
    const stats = (await s.running.app.inject({ url: '/api/v1/queue/stats' })).json<{ queue: { healthy: Record<string, boolean>; jobs: Record<string, { completed: number }> } }>();
    expect(stats.queue.healthy.redis).toBe(false);
    expect(stats.queue.jobs.database?.completed).toBeGreaterThan(0);
  });

  it('finishes every log after Redis is flushed mid-run (the reconciler reschedules lost batches)', async () => {
    const prefix = `t-${randomUUID()}`;
    const llm = await startStandIn({ port: 0, delayMs: 700 });
    cleanups.push(() => llm.close());
    const s = await start({ REDIS_URL: REDIS, REDIS_PREFIX: prefix, ANALYSIS_WORKERS: '1' }, { llm });
    await s.ingest(templatedLogs(FORTY, 2));
    // Wait until the first batch is with the model and the others wait in Redis, then lose them all.
    expect(await s.until(async () => llm.stats().calls + llm.requests().length > 0 && (await s.count('verdicts', `state = 'scheduled'`)) > 12)).toBe(true);
    const redis = new Redis(REDIS);
    const keys = await redis.keys(`${prefix}:*`);
    expect(keys.length).toBeGreaterThan(0);
    await redis.del(...keys);
    await redis.quit();
    expect(await s.until(() => analysed(s, 80), 45_000)).toBe(true);
    const templates = await s.count('log_templates');
    expect(await s.count('verdicts', `state = 'done'`)).toBe(templates);
  }, 60_000);
});

describe.runIf(hasPostgres())('analysis worker crash', () => {
  it('loses nothing and duplicates nothing when a worker process is killed mid-batch', async () => {
    const llm = await startStandIn({ port: 0, delayMs: 1500 });
    cleanups.push(() => llm.close());
    const store = await testStore('postgres');
    // This process runs the api and ai roles; the worker runs in a child process we can kill.
    const s = await startPipelineServer({ ...store, remove: async () => undefined }, {}, { roles: ['ai'], llm });
    cleanups.push(async () => {
      await s.cleanup();
      await store.remove();
    });
    await s.ingest(templatedLogs(KINDS, 3));
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      DATABASE_URL: store.env.DATABASE_URL ?? '',
      DATA_DIR: store.env.DATA_DIR ?? '',
      AI_SERVICE_URL: `127.0.0.1:${s.running.aiPort}`,
      ANALYSIS_MAX_WAIT_MS: '100',
      ANALYSIS_JOB_LOCK_MS: '2000',
      ANALYSIS_STALE_MS: '3000',
      LOG_LEVEL: 'warn',
    };
    const child = spawn(process.execPath, ['--import', TSX, CLI, 'worker'], { env, stdio: 'ignore' });
    const exited = new Promise((r) => child.on('exit', r));
    expect(await s.until(() => Promise.resolve(llm.requests().length > 0 || llm.stats().calls > 0), 60_000)).toBe(true);
    child.kill('SIGKILL');
    await exited;
    expect(await s.count('analysis_results')).toBeLessThan(60);

    const second = spawn(process.execPath, ['--import', TSX, CLI, 'worker'], { env, stdio: 'ignore' });
    cleanups.push(async () => {
      second.kill('SIGTERM');
      await new Promise((r) => second.on('exit', r));
    });
    expect(await s.until(() => analysed(s, 60), 60_000)).toBe(true);
    const r = await s.running.db.query<{ n: string; d: string }>(`SELECT count(*)::text AS n, count(DISTINCT log_id)::text AS d FROM analysis_results`);
    expect(r.rows[0]).toEqual({ n: '60', d: '60' });
  }, 120_000);
});
