// The dashboard benchmark's dataset: a fresh PostgreSQL database filled through the product's own
// write path (POST /api/v1/logs in large batches) and analysed by the real worker pipeline against
// the LLM stand-in at 0 ms, served by a listening LogSage (api, worker and ai roles in one process).
// Exported for other measurements of the same data (e.g. a browser's first render of the dashboard).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { startStandIn } from '@logsage/llm-stand-in';
import { parseConfig } from '../../packages/server/src/config/index.js';
import { startLogSage, type Running } from '../../packages/server/src/main.js';
import { generateEntries } from './data.js';

export const ADMIN_URL = process.env.BENCH_PG_ADMIN ?? 'postgres://postgres@127.0.0.1:5432/postgres';
// One database per run, so two runs at once cannot drop each other's; a kept or reused one has the
// fixed name, so it can be found again.
const dbName = (base: string): string => (process.env.BENCH_DASHBOARD_KEEP || process.env.BENCH_DASHBOARD_REUSE ? base : `${base}_${process.pid}`);
const BATCH = 5000;
const IN_FLIGHT = 4;

/** Makes entries `start` to `start + count` of `total`, spread over the `spanMs` before `now`. */
export type EntryGenerator = (start: number, count: number, total: number, now: number, spanMs: number) => Record<string, unknown>[];

export interface PrepareOptions {
  logs: number;
  port: number;
  reuse?: boolean;
  log?: (m: string) => void;
  /** Event times spread over this many ms before now (default 24 hours). */
  spanMs?: number;
  /** Database name (default logsage_bench_dashboard; a run's pid is appended unless kept or reused). */
  database?: string;
  entries?: EntryGenerator;
  /**
   * Wait until every log is analysed before measuring (default true). False measures while the
   * worker still works through the backlog, as readers do after a bulk load; statistics are then
   * refreshed by ANALYZE at once, as autovacuum would soon after such a load.
   */
  waitForAnalysis?: boolean;
}

export interface DashboardDataset {
  /** Base URL of the listening server, e.g. http://127.0.0.1:18790 */
  url: string;
  /** The admin account (username and password) for a browser login. */
  admin: { username: string; password: string };
  /** An API key with the read scope: `Authorization: Bearer <key>`. */
  readKey: string;
  logs: number;
  analysed: number;
  templates: number;
  /** Seconds spent storing the logs, and until every log had its analysis. */
  ingestSeconds: number;
  analysisSeconds: number;
  /** The database's name and URL (another client may load it while it is measured). */
  databaseUrl: string;
  running: Running;
  stop(): Promise<void>;
}

/** True when PostgreSQL answers at ADMIN_URL. */
export async function postgresAnswers(): Promise<boolean> {
  const c = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

async function admin(sql: string): Promise<void> {
  const c = new pg.Client(ADMIN_URL);
  await c.connect();
  await c.query(sql);
  await c.end();
}

async function until(fn: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`${what}: not done within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * Creates the database, starts LogSage on `port`, stores `logs` entries spread over the last 24
 * hours and waits until every one is analysed; the server keeps running until `stop()`.
 */
export async function prepareDashboard(o: PrepareOptions): Promise<DashboardDataset> {
  const say = o.log ?? ((m: string) => console.error(m));
  const DB = dbName(o.database ?? 'logsage_bench_dashboard');
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/${DB}`;
  if (!o.reuse) {
    await admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
    await admin(`CREATE DATABASE ${DB}`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'logsage-bench-'));
  const llm = await startStandIn({ port: 0 });
  // Fixed, so a kept database (BENCH_DASHBOARD_KEEP) can be logged into again; it is local and disposable.
  const password = 'bench-dashboard-admin';
  const cfg = parseConfig({
    DATABASE_URL: databaseUrl, DATA_DIR: dataDir, PORT: String(o.port), HOST: '127.0.0.1',
    ADMIN_PASSWORD: password, LLM_BASE_URL: llm.baseUrl, LLM_MODEL: 'bench-model', LLM_API_KEY: 'bench', LLM_RPM: '0',
    AI_GRPC_PORT: '0', ANALYSIS_LANGUAGE: 'en', LOG_LEVEL: 'silent',
  });
  const running = await startLogSage(cfg, ['api', 'worker', 'ai'], pino({ level: 'silent' }), { announce: () => undefined });
  const stop = async (): Promise<void> => {
    await running.stop();
    await llm.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (!process.env.BENCH_DASHBOARD_KEEP) await admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  };
  try {
    const make = o.entries ?? generateEntries;
    const span = o.spanMs ?? 86_400_000;
    const generated = o.reuse ? { ingestSeconds: 0, analysisSeconds: 0 } : await generate(running, o.logs, say, (a, n, t, now) => make(a, n, t, now, span), o.waitForAnalysis ?? true);
    const count = async (sql: string): Promise<number> => Number((await running.db.query<{ n: string }>(sql)).rows[0]?.n ?? 0);
    const key = await running.security.auth.keys.create({ name: 'bench read', scopes: ['read'] }, { kind: 'user', id: '', name: 'bench' });
    return {
      url: `http://127.0.0.1:${o.port}`,
      admin: { username: 'admin', password },
      readKey: key.key,
      logs: await count('SELECT count(*)::text AS n FROM logs'),
      analysed: await count('SELECT count(*)::text AS n FROM analysis_results'),
      templates: await count('SELECT count(*)::text AS n FROM log_templates'),
      ...generated,
      databaseUrl,
      running,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Posts one batch as a shipper does: 503 and 429 are retried after Retry-After (a loaded machine has moments). */
async function post(running: Running, headers: Record<string, string>, payload: Record<string, unknown>[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const r = await running.app.inject({ method: 'POST', url: '/api/v1/logs', headers, payload });
    if (r.statusCode === 200) return;
    if (![429, 503].includes(r.statusCode) || attempt >= 10) throw new Error(`ingest answered ${r.statusCode}: ${r.body.slice(0, 300)}`);
    await new Promise((res) => setTimeout(res, Number(r.headers['retry-after'] ?? 1) * 1000));
  }
}

/** Stores `logs` entries through POST /api/v1/logs, waits until all are analysed, then runs VACUUM (ANALYZE). */
async function generate(
  running: Running, logs: number, say: (m: string) => void, make: (start: number, count: number, total: number, now: number) => Record<string, unknown>[], wait: boolean,
): Promise<{ ingestSeconds: number; analysisSeconds: number }> {
  // Alerts for the Overview page, as the demo makes them: high and critical anomalies by service and category.
  await running.alerting.createRule({ name: 'bench: high and critical anomalies', conditions: { min_severity: 'high', anomaly: true }, group_by: ['service', 'category'] });
  const ingestKey = running.security.bootstrap.ingestKey;
  if (!ingestKey) throw new Error('the fresh database gave no first-start ingest key');
  const headers = { authorization: `Bearer ${ingestKey}` };
  const t0 = performance.now();
  const now = Date.now();
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < logs) {
      const start = next;
      next += BATCH;
      const payload = make(start, Math.min(BATCH, logs - start), logs, now);
      await post(running, headers, payload);
      if ((start / BATCH) % 40 === 0) say(`  stored ${start.toLocaleString('en-US')} logs`);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  const ingestSeconds = (performance.now() - t0) / 1000;
  if (!wait) {
    await running.db.query('ANALYZE');
    return { ingestSeconds, analysisSeconds: NaN };
  }
  say(`  ${logs.toLocaleString('en-US')} logs stored in ${ingestSeconds.toFixed(1)} s; waiting for the analysis`);
  const pending = async (): Promise<number> => Number((await running.db.query<{ n: string }>('SELECT count(*)::text AS n FROM analysis_pending')).rows[0]?.n);
  await until(async () => (await pending()) === 0, 3_600_000, 'analysis');
  const analysisSeconds = (performance.now() - t0) / 1000;
  // What autovacuum would have done by the time a dashboard looks (it is off on some test servers,
  // and never analyses the partitioned parent): the churned analysis_pending emptied of dead rows,
  // statistics fresh.
  await running.db.query('VACUUM (ANALYZE)');
  return { ingestSeconds, analysisSeconds };
}
