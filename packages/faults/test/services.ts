// The suite's own PostgreSQL cluster and Redis, on free ports, so it may stop, restart and flush them:
// the shared ones on 5432 and 6379 serve every other test on the machine and are never touched.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PG_BIN = '/usr/lib/postgresql/15/bin';

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });
}

/** Whether something accepts TCP connections on the port. */
export function answers(port: number): Promise<boolean> {
  return new Promise((done) => {
    const s = connect({ host: '127.0.0.1', port, timeout: 1000 });
    s.once('connect', () => (s.destroy(), done(true)));
    s.once('error', () => done(false));
    s.once('timeout', () => (s.destroy(), done(false)));
  });
}

/** Polls `fn` until it returns something other than undefined/false; throws naming `what` after the timeout. */
export async function until<T>(fn: () => Promise<T | undefined | false>, what: string, timeoutMs = 30_000, everyMs = 200): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface RedisServer {
  port: number;
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  flushAll(): void;
}

/** A redis-server of our own, without persistence (as production Redis may lose what it held). */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'], { stdio: 'ignore' });
    await until(() => answers(port), `redis-server on ${port}`, 15_000, 50);
  };
  const stop = async (): Promise<void> => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    start,
    stop,
    flushAll() {
      const r = spawnSync('redis-cli', ['-p', String(port), 'FLUSHALL'], { encoding: 'utf8' });
      if (r.status !== 0 || !r.stdout.includes('OK')) throw new Error(`FLUSHALL failed: ${r.stdout}${r.stderr}`);
    },
  };
}

export interface PgCluster {
  port: number;
  /** URL of a database made for the suite (trust auth, user postgres). */
  url: string;
  /** Stops the server (fast: connections are cut); `resume` starts it again on the same port and data. */
  halt(): void;
  resume(): void;
  stop(): void;
}

/** Runs a PostgreSQL binary as the postgres user (initdb and postgres refuse to run as root). */
function asPostgres(bin: string, args: string[]): { status: number | null; out: string } {
  const root = process.getuid?.() === 0;
  const r = spawnSync(root ? 'runuser' : join(PG_BIN, bin), root ? ['-u', 'postgres', '--', join(PG_BIN, bin), ...args] : args, { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function must(r: { status: number | null; out: string }, what: string): void {
  if (r.status !== 0) throw new Error(`${what} failed: ${r.out}`);
}

/** A PostgreSQL 15 cluster of our own in a temporary directory, on a free port, trust auth. */
export async function startPostgres(): Promise<PgCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'logsage-faults-pg-'));
  chmodSync(dir, 0o700);
  if (process.getuid?.() === 0) {
    const pw = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    chownSync(dir, Number(pw.stdout.trim()), Number(gid.stdout.trim()));
  }
  const data = join(dir, 'data');
  const port = await freePort();
  must(asPostgres('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']), 'initdb');
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200 -c shared_buffers=32MB`;
  const ctl = (args: string[], what: string): void => must(asPostgres('pg_ctl', ['-D', data, '-w', '-t', '60', ...args]), what);
  ctl(['-o', opts, '-l', join(dir, 'log'), 'start'], 'pg_ctl start');
  const created = asPostgres('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-c', 'CREATE DATABASE logsage']);
  must(created, 'CREATE DATABASE');
  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/logsage`,
    halt: () => ctl(['-m', 'fast', 'stop'], 'pg_ctl stop'),
    resume: () => ctl(['-o', opts, '-l', join(dir, 'log'), 'start'], 'pg_ctl start'),
    stop() {
      asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
