// LogSage as an operator scales it out: `node packages/server/dist/cli.js api|worker|ai`, one process per
// role, on the suite's own PostgreSQL and Redis, the LLM stand-in in place of the provider. Each role can
// be killed with SIGKILL and started again.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, until } from './services.js';

const CLI = resolve(import.meta.dirname, '../../server/dist/cli.js');
export type RoleName = 'api' | 'worker' | 'ai';

/**
 * Quick pipeline and alerting, and limits that let a fault end within seconds: a hung LLM request
 * times out after 3 s, an open circuit tries again after 2 s, a failed batch is retried after 2 and
 * 8 s (its third and last attempt comes 10 s after the first: later than any fault here lasts; the
 * default unit of a minute gives five minutes), and a verdict is reused for one second only, so the
 * LLM is called all along instead of once per template.
 */
const FAST: Record<string, string> = {
  ANALYSIS_MAX_WAIT_MS: '200',
  ANALYSIS_RETRY_BASE_MS: '2000',
  ANALYSIS_STALE_MS: '2000',
  ANALYSIS_JOB_LOCK_MS: '3000',
  ANALYSIS_VERDICT_TTL_S: '1',
  ANALYSIS_LANGUAGE: 'en',
  LLM_MAX_RETRIES: '0',
  LLM_RPM: '0',
  LLM_TIMEOUT_MS: '3000',
  LLM_CIRCUIT_COOLDOWN_MS: '2000',
  ALERT_EVAL_INTERVAL_MS: '200',
  ALERT_GROUP_WAIT_SECONDS: '0',
  NOTIFY_POLL_MS: '200',
  NOTIFY_RETRY_BASE_MS: '200',
  DB_CONNECT_TIMEOUT_MS: '1000',
  MAX_EVENT_LOOP_DELAY_MS: '0',
  OUTBOUND_ALLOW: '127.0.0.1',
  LOG_LEVEL: 'info',
};

export interface Stack {
  baseUrl: string;
  adminPassword: string;
  /** Kills the role with SIGKILL (no shutdown), then waits for it to be gone. */
  kill(role: RoleName): Promise<void>;
  /** Starts the role again and waits until it is up. */
  start(role: RoleName): Promise<void>;
  /** Roles whose current process has exited (none should: a fault must not take a role down for good). */
  exited(): RoleName[];
  /** The last output of a role, for failure messages. */
  output(role: RoleName): string;
  stop(): Promise<void>;
}

interface Proc {
  child: ChildProcess;
  out: string;
}

function waitExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => child.once('exit', () => r()));
}

/** Starts the three roles against the given database, Redis and LLM; resolves once each is up. */
export async function startStack(o: { databaseUrl: string; redisUrl: string; llmBaseUrl: string }): Promise<Stack> {
  const [port, grpc] = [await freePort(), await freePort()];
  const dataDir = mkdtempSync(join(tmpdir(), 'logsage-faults-'));
  const adminPassword = `faults-${randomBytes(6).toString('hex')}`;
  const env: Record<string, string> = {
    ...FAST,
    PATH: process.env.PATH ?? '',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: o.databaseUrl,
    REDIS_URL: o.redisUrl,
    REDIS_PREFIX: `faults-${randomBytes(3).toString('hex')}`,
    DATA_DIR: dataDir,
    ADMIN_PASSWORD: adminPassword,
    // Every process reads the channel secrets another one wrote: one key for all.
    SECRETS_KEY: randomBytes(32).toString('hex'),
    AI_GRPC_PORT: String(grpc),
    AI_SERVICE_URL: `127.0.0.1:${grpc}`,
    LLM_BASE_URL: o.llmBaseUrl,
    LLM_MODEL: 'Qwen/QwQ-32B',
    LLM_API_KEY: 'faults-key',
  };
  const procs = new Map<RoleName, Proc>();
  const baseUrl = `http://127.0.0.1:${port}`;
  const up: Record<RoleName, (p: Proc) => Promise<boolean>> = {
    api: async () => (await fetch(`${baseUrl}/readyz`).catch(() => null))?.status === 200,
    worker: async (p) => p.out.includes('LogSage started'),
    ai: async (p) => p.out.includes('LogSage started'),
  };
  const start = async (role: RoleName): Promise<void> => {
    const p: Proc = { child: spawn(process.execPath, [CLI, role], { cwd: dataDir, env, stdio: ['ignore', 'pipe', 'pipe'] }), out: '' };
    const keep = (d: Buffer): void => void (p.out = (p.out + d.toString()).slice(-50_000));
    p.child.stdout?.on('data', keep);
    p.child.stderr?.on('data', keep);
    procs.set(role, p);
    await until(async () => {
      if (p.child.exitCode !== null) throw new Error(`the ${role} role exited with ${p.child.exitCode}:\n${p.out}`);
      return up[role](p);
    }, `the ${role} role to start`, 60_000);
  };
  const kill = async (role: RoleName): Promise<void> => {
    const p = procs.get(role);
    if (!p) return;
    p.child.kill('SIGKILL');
    await waitExit(p.child);
  };
  // The api role first: it migrates the database the others need.
  await start('api');
  await Promise.all([start('ai'), start('worker')]);
  return {
    baseUrl,
    adminPassword,
    kill,
    start,
    exited: () => [...procs].filter(([, p]) => p.child.exitCode !== null || p.child.signalCode !== null).map(([r]) => r),
    output: (role) => procs.get(role)?.out.slice(-8000) ?? '',
    async stop() {
      for (const role of ['api', 'worker', 'ai'] as const) await kill(role);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
