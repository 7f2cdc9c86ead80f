import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import './global-setup.js';
import { pino, type Logger } from 'pino';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { parseConfig, type Config } from '../src/config/index.js';
import { startLogSage, type Running } from '../src/main.js';
import { startTcpProxy } from './tcp-proxy.js';

export const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const hasPostgres = (): boolean => inject('hasPostgres');

export type Engine = 'pglite' | 'postgres';

/** A new PGlite data directory, already initialised and migrated (a copy of the run's template). */
export function freshDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'logsage-test-'));
  cpSync(inject('pgliteTemplate'), dir, { recursive: true });
  return dir;
}
/** The engines this machine can test: PGlite always, PostgreSQL when it answers. */
export const ENGINES: Engine[] = hasPostgres() ? ['pglite', 'postgres'] : ['pglite'];

/** Creates an empty PostgreSQL database for one test file; returns its URL and a dropper. */
export async function createPgDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `logsage_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client(ADMIN_URL);
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    url: `postgres://postgres@127.0.0.1:5432/${name}`,
    async drop() {
      const c = new pg.Client(ADMIN_URL);
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface TestServer extends Running {
  cfg: Config;
  /** Credentials made at start: the first-start ingest key (when this start was the first), an admin-scoped key, the admin password. */
  keys: { ingest: string | undefined; admin: string };
  adminPassword: string;
  /** What the first start printed for the operator. */
  announced: string;
  /** app.inject with no credentials added (app.inject itself sends the admin key when a request carries none). */
  bare(opts: InjectOptions): Promise<LightMyRequestResponse>;
  cleanup(): Promise<void>;
}

const hasCredentials = (h: InjectOptions['headers']): boolean =>
  Object.keys(h ?? {}).some((k) => ['authorization', 'x-api-key', 'cookie'].includes(k.toLowerCase()));

/**
 * Starts LogSage (no listening socket; use app.inject) on its own database of the given engine.
 * Auth is on, as in the product: requests through `app.inject` that carry no credentials get the
 * admin key, so tests about other things need not log in; `bare` sends exactly what it is given.
 */
export async function startTestServer(engine: Engine, env: Record<string, string> = {}, log: Logger = pino({ level: 'silent' })): Promise<TestServer> {
  let cleanupStore: () => Promise<void>;
  const dir = engine === 'pglite' ? freshDataDir() : mkdtempSync(join(tmpdir(), 'logsage-test-'));
  const adminPassword = env.ADMIN_PASSWORD ?? `test-admin-${Math.random().toString(36).slice(2)}`;
  // The event-loop check answers 503 whenever this process is starved for a second, which a loaded
  // test machine does to in-process PGlite servers; tests about other things turn it off.
  const base: Record<string, string> = { LOG_LEVEL: 'silent', DATA_DIR: dir, MAX_EVENT_LOOP_DELAY_MS: '0', ...env, ADMIN_PASSWORD: adminPassword };
  const removeDir = async () => rmSync(dir, { recursive: true, force: true });
  if (engine === 'postgres' && env.DATABASE_URL) {
    cleanupStore = removeDir;
  } else if (engine === 'postgres') {
    const d = await createPgDatabase();
    base.DATABASE_URL = d.url;
    cleanupStore = async () => (await d.drop(), await removeDir());
  } else {
    cleanupStore = removeDir;
  }
  const cfg = parseConfig(base);
  let announced = '';
  const running = await startLogSage(cfg, [], log, { announce: (t) => (announced += t) });
  const admin = await running.security.auth.keys.create({ name: 'test admin', scopes: ['admin'] }, { kind: 'user', id: '', name: 'test' });
  const raw = running.app.inject.bind(running.app) as (o?: InjectOptions) => unknown;
  const bare = raw as (o: InjectOptions) => Promise<LightMyRequestResponse>;
  const withAdmin = (o: InjectOptions): InjectOptions =>
    hasCredentials(o.headers) ? o : { ...o, headers: { ...o.headers, authorization: `Bearer ${admin.key}` } };
  (running.app as { inject: unknown }).inject = (o?: InjectOptions) => (o ? raw(withAdmin(o)) : raw());
  return {
    ...running,
    cfg,
    keys: { ingest: running.security.bootstrap.ingestKey, admin: admin.key },
    adminPassword,
    announced,
    bare,
    async cleanup() {
      await running.stop();
      await cleanupStore();
    },
  };
}

/** Builds a shipper entry stating only what a test cares about. */
export function buildLog(over: Record<string, unknown> = {}): Record<string, unknown> {
  return { timestamp: new Date().toISOString(), level: 'info', message: 'user login ok', service: 'auth', ...over };
}

/**
 * Holds an exclusive lock on the logs table in a transaction until `release()`, so that ingestion
 * queues up behind it the way it does under load. Resolves once the lock is held.
 */
export async function holdLogsTable(db: Running['db']): Promise<{ release: () => Promise<void> }> {
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => (locked = r));
  const holder = db.transaction(async (tx) => {
    await tx.query('LOCK TABLE logs IN EXCLUSIVE MODE');
    locked();
    await gate;
  });
  await isLocked;
  return { release: () => (open(), holder) };
}

/**
 * A PostgreSQL test server whose database connections pass through a TCP relay the test can cut
 * and restore; `directUrl` reaches the same database around the relay.
 */
export async function startRelayedTestServer(env: Record<string, string> = {}): Promise<{
  s: TestServer;
  proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  directUrl: string;
  cleanup: () => Promise<void>;
}> {
  const d = await createPgDatabase();
  const proxy = await startTcpProxy(5432);
  const url = new URL(d.url);
  url.port = String(proxy.port);
  const s = await startTestServer('postgres', { DATABASE_URL: url.toString(), DB_CONNECT_TIMEOUT_MS: '1000', ...env });
  return {
    s,
    proxy,
    directUrl: d.url,
    async cleanup() {
      await s.cleanup().catch(() => undefined);
      await proxy.close().catch(() => undefined);
      await d.drop();
    },
  };
}
