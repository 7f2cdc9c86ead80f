import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import './global-setup.js';
import { pino } from 'pino';
import { parseConfig, type Config } from '../src/config/index.js';
import { startLogSage, type Running } from '../src/main.js';

export const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const hasPostgres = (): boolean => inject('hasPostgres');

export type Engine = 'pglite' | 'postgres';
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
  cleanup(): Promise<void>;
}

/** Starts LogSage (no listening socket; use app.inject) on its own database of the given engine. */
export async function startTestServer(engine: Engine, env: Record<string, string> = {}): Promise<TestServer> {
  let cleanupStore: () => Promise<void>;
  const base: Record<string, string> = { LOG_LEVEL: 'silent', ...env };
  if (engine === 'postgres' && env.DATABASE_URL) {
    cleanupStore = async () => undefined;
  } else if (engine === 'postgres') {
    const d = await createPgDatabase();
    base.DATABASE_URL = d.url;
    cleanupStore = d.drop;
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'logsage-test-'));
    base.DATA_DIR = dir;
    cleanupStore = async () => rmSync(dir, { recursive: true, force: true });
  }
  const cfg = parseConfig(base);
  const running = await startLogSage(cfg, [], pino({ level: 'silent' }));
  return {
    ...running,
    cfg,
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
