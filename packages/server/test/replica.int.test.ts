import { execFile, execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/index.js';
import { openReadDatabase } from '../src/db/index.js';
import { AppError } from '../src/lib/errors.js';
import { login } from './auth-helpers.js';
import { buildLog, startTestServer, type TestServer } from './helpers.js';

// A real streaming replica of a primary this file makes itself (never the shared server on 5432):
// initdb, pg_basebackup -R, two postmasters on free ports, all under one temporary directory.
const BIN = '/usr/lib/postgresql/15/bin';
const run = promisify(execFile);
const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL binary, as user postgres when this process is root (postgres refuses to run as root). */
async function pgBin(name: string, args: string[]): Promise<void> {
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(BIN, name), ...args]] : [join(BIN, name), args];
  await run(cmd, argv, { timeout: 60_000 });
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

interface Cluster {
  dir: string;
  port: number;
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

function cluster(root: string, name: string, port: number, extra: string[] = []): Cluster {
  const dir = join(root, name);
  const opts = ['-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${root}`, '-c', 'fsync=off', ...extra].join(' ');
  return {
    dir,
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: () => pgBin('pg_ctl', ['-D', dir, '-l', join(root, `${name}.log`), '-o', opts, '-w', '-t', '60', 'start']),
    stop: () => pgBin('pg_ctl', ['-D', dir, '-m', 'fast', '-w', 'stop']),
  };
}

/** A primary (wal_level=replica, trust auth including replication) and a hot standby streaming from it. */
async function startPrimaryAndReplica(): Promise<{ primary: Cluster; replica: Cluster; cleanup: () => Promise<void> }> {
  const root = mkdtempSync(join(tmpdir(), 'logsage-replica-'));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(root, uid, gid);
  }
  const primary = cluster(root, 'primary', await freePort(), ['-c', 'wal_level=replica', '-c', 'max_wal_senders=4']);
  const replica = cluster(root, 'replica', await freePort(), ['-c', 'hot_standby=on']);
  const cleanup = async (): Promise<void> => {
    for (const c of [replica, primary]) await pgBin('pg_ctl', ['-D', c.dir, '-m', 'immediate', 'stop']).catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  };
  try {
    // initdb's pg_hba.conf with --auth=trust admits replication connections from 127.0.0.1 too.
    await pgBin('initdb', ['-D', primary.dir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    await primary.start();
    await pgBin('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres', '-D', replica.dir, '-R', '-X', 'stream', '-c', 'fast']);
    await replica.start();
  } catch (err) {
    await cleanup();
    throw err;
  }
  return { primary, replica, cleanup };
}

async function sql<R>(url: string, text: string): Promise<R[]> {
  const c = new pg.Client(url);
  await c.connect();
  try {
    return (await c.query(text)).rows as R[];
  } finally {
    await c.end();
  }
}

describe('DATABASE_READ_URL configuration', () => {
  it('refuses a read replica beside the embedded database, naming the variable', () => {
    let err: unknown;
    try {
      parseConfig({ DATABASE_READ_URL: 'postgres://reader@replica:5432/logsage' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toMatch(/DATABASE_READ_URL: needs PostgreSQL/);
    const cfg = parseConfig({ DB_HOST: 'primary', DATABASE_READ_URL: 'postgres://reader@replica:5432/logsage' });
    expect(cfg.DATABASE_READ_URL).toBe('postgres://reader@replica:5432/logsage');
    expect(() => parseConfig({ DATABASE_URL: 'postgres://a@b/c', DATABASE_READ_URL: 'mysql://r@replica/x' })).toThrow(/DATABASE_READ_URL: must be a postgres/);
  });
});

describe('reads on a streaming replica', () => {
  let primary: Cluster;
  let replica: Cluster;
  let cleanupClusters: () => Promise<void>;
  let s: TestServer;

  beforeAll(async () => {
    ({ primary, replica, cleanup: cleanupClusters } = await startPrimaryAndReplica());
    s = await startTestServer('postgres', { DATABASE_URL: primary.url, DATABASE_READ_URL: replica.url, DB_CONNECT_TIMEOUT_MS: '1000' });
  }, 180_000);
  afterAll(async () => {
    await s?.cleanup().catch(() => undefined);
    await cleanupClusters?.();
  }, 60_000);

  const ingest = (service: string, n: number) =>
    s.app.inject({ method: 'POST', url: '/api/v1/logs', payload: Array.from({ length: n }, (_, i) => buildLog({ service, message: `order ${i} placed` })) });
  const readCount = async (service: string): Promise<number | undefined> => {
    const r = await s.app.inject({ method: 'GET', url: `/api/v1/logs?service=${service}&limit=1000` });
    return r.statusCode === 200 ? r.json<{ logs: unknown[] }>().logs.length : undefined;
  };
  /** Polls the read API until it shows `n` logs of `service` (the replica's lag), for at most 20 s. */
  const visible = async (service: string, n: number): Promise<number | undefined> => {
    let seen: number | undefined;
    for (let i = 0; i < 200 && seen !== n; i++) {
      seen = await readCount(service);
      if (seen !== n) await new Promise((r) => setTimeout(r, 100));
    }
    return seen;
  };

  it('serves logs ingested on the primary from the replica, and reports its lag', async () => {
    expect((await sql<{ r: boolean }>(replica.url, 'SELECT pg_is_in_recovery() AS r'))[0]?.r).toBe(true);
    const res = await ingest('checkout', 40);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ accepted: 40 });
    expect(await visible('checkout', 40)).toBe(40);
    // The read pool's connections are on the replica, and only there.
    const reads = "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'logsage-read'";
    expect((await sql<{ n: number }>(replica.url, reads))[0]?.n).toBeGreaterThan(0);
    expect((await sql<{ n: number }>(primary.url, reads))[0]?.n).toBe(0);
    for (const url of ['/api/v1/stats', '/api/v1/services', '/api/v1/templates?sparkline=true', '/api/v1/analysis/summary']) {
      expect((await s.app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
    }
    const status = (await s.app.inject({ method: 'GET', url: '/api/v1/status' })).json<{ replica: Record<string, unknown> }>();
    expect(status.replica).toMatchObject({ reachable: true, standby: true, error: null });
    expect(status.replica.lag_seconds).toEqual(expect.any(Number));
    // Prometheus sees the read pool apart from the primary's: the replica's connections are counted there.
    const metrics = (await s.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(Number(/^logsage_db_read_pool_connections (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThan(0);
    expect(metrics).toMatch(/^logsage_db_pool_connections \d+$/m);
  });

  it('keeps ingest, sign-in and settings on the primary: with the replica down they work and reads answer 503', async () => {
    await replica.stop();
    for (const url of ['/api/v1/logs', '/api/v1/stats', '/api/v1/templates', '/api/v1/analysis/summary']) {
      const r = await s.app.inject({ method: 'GET', url });
      expect(r.statusCode, url).toBe(503);
      expect(r.headers['retry-after'], url).toBeDefined();
      expect(r.json<{ error: { code: string } }>().error.code).toBe('unavailable');
    }
    const res = await ingest('billing', 25);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ accepted: 25 });
    const rule = await s.app.inject({ method: 'POST', url: '/api/v1/rules', payload: { name: 'Billing errors', conditions: { services: ['billing'] } } });
    expect(rule.statusCode).toBe(201);
    const rules = await s.app.inject({ method: 'GET', url: '/api/v1/rules' });
    expect(rules.json<{ rules: { name: string }[] }>().rules.map((r) => r.name)).toContain('Billing errors');
    const signIn = await login(s, 'admin', s.adminPassword);
    expect(signIn.res.statusCode).toBe(200);
    expect((await s.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    const status = await s.app.inject({ method: 'GET', url: '/api/v1/status' });
    expect(status.statusCode).toBe(200);
    expect(status.json<{ replica: { reachable: boolean; error: string } }>().replica).toMatchObject({ reachable: false, error: expect.any(String) });
    const stored = await sql<{ n: number }>(primary.url, "SELECT count(*)::int AS n FROM logs WHERE service = 'billing'");
    expect(stored[0]?.n).toBe(25);
    // Back up, the replica replays what the primary took meanwhile.
    await replica.start();
    expect(await visible('billing', 25)).toBe(25);
  });

  it('never writes through the read pool, even when its URL names a writable server', async () => {
    const cfg = parseConfig({ DATABASE_URL: primary.url, DATABASE_READ_URL: primary.url });
    const ro = await openReadDatabase(cfg, pino({ level: 'silent' }));
    expect(ro).toBeDefined();
    try {
      await expect(ro?.query('CREATE TABLE replica_probe (x int)')).rejects.toMatchObject({ code: '25006' });
      expect((await ro?.query<{ n: string }>('SELECT count(*) AS n FROM logs'))?.rows[0]?.n).toBe('65');
    } finally {
      await ro?.close();
    }
    expect(await openReadDatabase(parseConfig({ DATABASE_URL: primary.url }), pino({ level: 'silent' }))).toBeUndefined();
  });

  it('opens the read pool while the replica is unreachable: reads fail until it answers, start does not', async () => {
    const nowhere = `postgres://postgres@127.0.0.1:${await freePort()}/postgres`;
    const warnings: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(line) });
    const ro = await openReadDatabase(parseConfig({ DATABASE_URL: primary.url, DATABASE_READ_URL: nowhere, DB_CONNECT_TIMEOUT_MS: '1000' }), log);
    try {
      expect(ro).toBeDefined();
      expect(warnings.join('')).toContain('read replica (DATABASE_READ_URL) unavailable at start');
      await expect(ro?.query('SELECT 1')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      await ro?.close();
    }
  });
});
