import { startStandIn, type StandIn } from '@logsage/llm-stand-in';
import { pino } from 'pino';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, type Config } from '../src/config/index.js';
import { startLogSage, type Role, type Running } from '../src/main.js';
import { createPgDatabase, freshDataDir, type Engine } from './helpers.js';

export interface PipelineServer {
  running: Running;
  cfg: Config;
  llm: StandIn;
  /** Posts logs through the HTTP API; returns the parsed reply. */
  ingest(entries: Record<string, unknown>[]): Promise<{ accepted: number }>;
  /** Counts rows of a table, optionally filtered. */
  count(table: string, where?: string): Promise<number>;
  /** Polls until `fn` returns true or the timeout passes; returns whether it did. */
  until(fn: () => Promise<boolean>, timeoutMs?: number): Promise<boolean>;
  stop(): Promise<void>;
  cleanup(): Promise<void>;
}

/** Settings that make the pipeline quick in tests: short waits, short backoff, short stale times. */
export const FAST_PIPELINE: Record<string, string> = {
  ANALYSIS_MAX_WAIT_MS: '100',
  ANALYSIS_RETRY_BASE_MS: '50',
  ANALYSIS_STALE_MS: '1500',
  ANALYSIS_JOB_LOCK_MS: '2000',
  ANALYSIS_LANGUAGE: 'en',
  LLM_MAX_RETRIES: '0',
  LLM_RPM: '0',
  AI_GRPC_PORT: '0',
  AUTH_DISABLED: 'true',
  MAX_EVENT_LOOP_DELAY_MS: '0',
};

/** A store of the given engine for one test: returns the env that selects it and a remover. */
export async function testStore(engine: Engine): Promise<{ env: Record<string, string>; remove: () => Promise<void> }> {
  if (engine === 'postgres') {
    const d = await createPgDatabase();
    // The data directory still holds the first start's key files, even with PostgreSQL.
    const dir = mkdtempSync(join(tmpdir(), 'logsage-pipeline-'));
    return { env: { DATABASE_URL: d.url, DATA_DIR: dir }, remove: async () => (await d.drop(), rmSync(dir, { recursive: true, force: true })) };
  }
  const dir = freshDataDir();
  return { env: { DATA_DIR: dir }, remove: async () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Starts LogSage with the worker and ai roles against the LLM stand-in (no listening socket: the
 * API is reached with app.inject). `store` lets several servers share one database in turn.
 */
export async function startPipelineServer(
  store: { env: Record<string, string>; remove: () => Promise<void> },
  env: Record<string, string> = {},
  o: { roles?: Role[]; llm?: StandIn; provider?: boolean; now?: () => number } = {},
): Promise<PipelineServer> {
  const llm = o.llm ?? (await startStandIn({ port: 0 }));
  const provider = o.provider === false ? {} : { LLM_BASE_URL: llm.baseUrl, LLM_MODEL: 'test-model', LLM_API_KEY: 'test-key' };
  const cfg = parseConfig({ LOG_LEVEL: 'silent', ...FAST_PIPELINE, ...provider, ...store.env, ...env });
  const running = await startLogSage(cfg, o.roles ?? ['worker', 'ai'], pino({ level: 'silent' }), { announce: () => undefined, ...(o.now ? { now: o.now } : {}) });
  const server: PipelineServer = {
    running,
    cfg,
    llm,
    async ingest(entries) {
      const r = await running.app.inject({ method: 'POST', url: '/api/v1/logs', payload: entries });
      if (r.statusCode !== 200) throw new Error(`ingest answered ${r.statusCode}: ${r.body}`);
      return r.json();
    },
    async count(table, where = 'true') {
      const r = await running.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table} WHERE ${where}`);
      return Number(r.rows[0]?.n ?? 0);
    },
    async until(fn, timeoutMs = 20_000) {
      const end = Date.now() + timeoutMs;
      while (Date.now() < end) {
        if (await fn()) return true;
        await new Promise((r) => setTimeout(r, 100));
      }
      return fn();
    },
    stop: () => running.stop(),
    async cleanup() {
      await running.stop();
      if (!o.llm) await llm.close();
      await store.remove();
    },
  };
  return server;
}

/** Distinct kinds of lines, `n` repeats each, with varying parameters. */
export function templatedLogs(kinds: string[], n: number, over: Record<string, unknown> = {}): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    for (const [k, kind] of kinds.entries()) {
      out.push({ timestamp: new Date(Date.now() - 1000 + i).toISOString(), level: k % 3 === 0 ? 'error' : 'info', service: `svc-${k % 4}`, message: kind.replaceAll('{}', String(1000 + i * 7 + k)), ...over });
    }
  }
  return out;
}

/** Twenty line shapes that the miner keeps apart. */
export const KINDS = [
  'Connection to db-{} refused after 3 retries',
  'User {} logged in from 10.0.0.{}',
  'Disk usage on /dev/sda{} above threshold',
  'Cache miss for key session:{}',
  'Payment {} authorised by gateway',
  'Worker {} finished job in {} ms',
  'Timeout while calling inventory service for order {}',
  'NullPointerException in OrderController line {}',
  'Scheduled backup {} completed',
  'Rate limit exceeded for tenant {}',
  'Certificate for host-{} expires in {} days',
  'Kafka consumer group rebalanced partition {}',
  'Out of memory: killed process {}',
  'GET /api/items/{} returned in {} ms',
  'Failed to parse config file line {}',
  'Replica {} lagging behind primary',
  'Email notification queued for user {}',
  'SSL handshake failed with peer {}',
  'Thread pool saturated queue size {}',
  'Feature flag {} evaluated true',
];
