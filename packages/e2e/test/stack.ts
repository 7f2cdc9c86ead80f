// The real thing for one test file: a fresh PostgreSQL database, the LLM stand-in, and LogSage
// started as the operator starts it (`node packages/server/dist/cli.js start`, auth on), on a free
// port, serving the built dashboard. Only the LLM provider is replaced.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startStandIn, type StandIn } from '@logsage/llm-stand-in';
import { Redis } from 'ioredis';
import pg from 'pg';

const ADMIN_DB = 'postgres://postgres@127.0.0.1:5432/postgres';
const CLI = resolve(import.meta.dirname, '../../server/dist/cli.js');
export const SESSION_COOKIE = 'logsage_session';
export const MODEL = 'Qwen/QwQ-32B';

/** Quick analysis and alerting, as in the server's pipeline tests (FAST_PIPELINE), with auth on. */
const FAST: Record<string, string> = {
  ANALYSIS_MAX_WAIT_MS: '100',
  ANALYSIS_RETRY_BASE_MS: '50',
  ANALYSIS_STALE_MS: '1500',
  ANALYSIS_JOB_LOCK_MS: '2000',
  ANALYSIS_LANGUAGE: 'en',
  LLM_MAX_RETRIES: '0',
  LLM_RPM: '0',
  AI_GRPC_PORT: '0',
  ALERT_EVAL_INTERVAL_MS: '200',
  ALERT_GROUP_WAIT_SECONDS: '0',
  NOTIFY_POLL_MS: '200',
};

export interface ApiReply<T> {
  status: number;
  body: T;
  headers: Headers;
}

export interface Stack {
  baseUrl: string;
  adminPassword: string;
  llm: StandIn;
  /** A call with the admin API key (or the given headers instead). */
  api<T = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiReply<T>>;
  /** Posts shipper entries with the ingest-scoped key; fails unless every entry was accepted. */
  ingest(entries: Record<string, unknown>[]): Promise<void>;
  /** Logs in through the API; returns the session cookie's value. */
  login(username: string, password: string): Promise<string>;
  /** Creates a user with this role; returns its credentials. */
  createUser(role: 'viewer' | 'editor' | 'admin'): Promise<{ username: string; password: string }>;
  /** What the server printed (for failure messages). */
  output(): string;
  /** Stops the server process only (database, stand-in and sessions stay); `resume` starts it again on the same port. */
  pause(): Promise<{ resume: () => Promise<void> }>;
  stop(): Promise<void>;
}

/** Polls `fn` until it returns a value other than undefined/false; throws `what` after the timeout. */
export async function until<T>(fn: () => Promise<T | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => done(port));
    });
  });
}

function answers(port: number): Promise<boolean> {
  return new Promise((done) => {
    const s = connect({ host: '127.0.0.1', port, timeout: 1000 });
    s.once('connect', () => (s.destroy(), done(true)));
    s.once('error', () => done(false));
    s.once('timeout', () => (s.destroy(), done(false)));
  });
}

async function adminQuery(sql: string): Promise<void> {
  const c = new pg.Client(ADMIN_DB);
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((done) => {
    const t = setTimeout(() => done(false), ms);
    child.once('exit', () => (clearTimeout(t), done(true)));
  });
}

/** Starts the server and waits for /readyz; kills it and throws with its output if it never gets ready. */
async function startServer(env: Record<string, string>, cwd: string): Promise<{ child: ChildProcess; output: () => string }> {
  let out = '';
  const child = spawn(process.execPath, [CLI, 'start'], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const output = (): string => out.slice(-20_000);
  try {
    await until(async () => {
      if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
      const r = await fetch(`http://127.0.0.1:${env.PORT}/readyz`).catch(() => null);
      return r?.status === 200;
    }, 'the server to answer /readyz', 60_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n--- server output ---\n${output()}`, { cause: err });
  }
  return { child, output };
}

/** Sends one JSON request to the server; parses the answer when it is JSON. */
async function call<T>(baseUrl: string, method: string, path: string, body: unknown, headers: Record<string, string>): Promise<ApiReply<T>> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

async function loginAt(baseUrl: string, username: string, password: string): Promise<string> {
  const r = await call(baseUrl, 'POST', '/api/v1/auth/login', { username, password }, {});
  const cookie = /logsage_session=([^;]+)/.exec(r.headers.get('set-cookie') ?? '')?.[1];
  if (r.status !== 200 || !cookie) throw new Error(`login as ${username} answered ${r.status}: ${JSON.stringify(r.body)}`);
  return cookie;
}

/** Makes an admin key and an ingest key the way an operator does: signed in as admin, through the API. */
async function makeKeys(baseUrl: string, adminPassword: string): Promise<{ admin: string; ingest: string }> {
  const session = await loginAt(baseUrl, 'admin', adminPassword);
  const headers = { cookie: `${SESSION_COOKIE}=${session}`, origin: baseUrl };
  const make = async (scopes: string[]): Promise<string> => {
    const r = await call<{ key: string }>(baseUrl, 'POST', '/api/v1/api-keys', { name: `e2e ${scopes.join('+')}`, scopes }, headers);
    if (r.status !== 201) throw new Error(`creating a key answered ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body.key;
  };
  return { admin: await make(['admin']), ingest: await make(['ingest']) };
}

/** The server's environment: quick pipeline, this file's database, port, stand-in and queue prefix. */
function serverEnv(
  o: { port: number; dbName: string; dataDir: string; adminPassword: string; llmUrl: string; redisPrefix: string | undefined },
  extra: Record<string, string>,
): Record<string, string> {
  return {
    ...FAST,
    ...(o.redisPrefix ? { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PREFIX: o.redisPrefix } : {}),
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(o.port),
    DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${o.dbName}`,
    DATA_DIR: o.dataDir,
    ADMIN_PASSWORD: o.adminPassword,
    LLM_BASE_URL: o.llmUrl,
    LLM_MODEL: MODEL,
    LLM_API_KEY: 'e2e-key',
    ...extra,
  };
}

/** Starts a fresh database, the stand-in and LogSage; `env` adds or overrides server settings. */
export async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  const tag = `${process.pid}_${randomBytes(3).toString('hex')}`;
  const dbName = `logsage_e2e_${tag}`;
  await adminQuery(`CREATE DATABASE ${dbName}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'logsage-e2e-'));
  const llm = await startStandIn({ port: 0 });
  const port = await freePort();
  const adminPassword = `e2e-admin-${randomBytes(6).toString('hex')}`;
  const redisPrefix = (await answers(6379)) ? `e2e-${tag}` : undefined;
  const baseUrl = `http://127.0.0.1:${port}`;
  const settings = serverEnv({ port, dbName, dataDir, adminPassword, llmUrl: llm.baseUrl, redisPrefix }, env);
  const removeStore = async (): Promise<void> => {
    await llm.close();
    await adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    rmSync(dataDir, { recursive: true, force: true });
    if (redisPrefix) await dropRedisKeys(redisPrefix);
  };
  let server = await startServer(settings, dataDir).catch(async (err: unknown) => {
    await removeStore();
    throw err;
  });
  const keys = await makeKeys(baseUrl, adminPassword);
  const asAdmin = { authorization: `Bearer ${keys.admin}` };
  let users = 0;
  return {
    baseUrl,
    adminPassword,
    llm,
    api: (method, path, body, headers) => call(baseUrl, method, path, body, headers ?? asAdmin),
    async ingest(entries) {
      const r = await call<{ accepted: number }>(baseUrl, 'POST', '/api/v1/logs', entries, { authorization: `Bearer ${keys.ingest}` });
      if (r.status !== 200 || r.body.accepted !== entries.length) throw new Error(`ingest answered ${r.status}: ${JSON.stringify(r.body)}`);
    },
    login: (username, password) => loginAt(baseUrl, username, password),
    async createUser(role) {
      const cred = { username: `${role}-${++users}`, password: `e2e-${role}-${randomBytes(6).toString('hex')}` };
      const r = await call(baseUrl, 'POST', '/api/v1/users', { ...cred, role }, asAdmin);
      if (r.status !== 201) throw new Error(`creating a ${role} answered ${r.status}: ${JSON.stringify(r.body)}`);
      return cred;
    },
    output: () => server.output(),
    async pause() {
      await stopProcess(server.child);
      return { resume: async () => void (server = await startServer(settings, dataDir)) };
    },
    async stop() {
      await stopProcess(server.child);
      await removeStore();
    },
  };
}

async function stopProcess(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  if (!(await waitExit(child, 10_000))) {
    child.kill('SIGKILL');
    await waitExit(child, 5000);
  }
}

/** Removes this run's queue keys (Redis is shared by every test run on the machine). */
async function dropRedisKeys(prefix: string): Promise<void> {
  const r = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await r.connect();
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length) await r.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch {
    // best effort: the keys carry a unique prefix and Redis here keeps nothing across restarts
  } finally {
    r.disconnect();
  }
}
