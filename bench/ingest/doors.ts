// What the shipper-door benchmarks share: a scratch database, an api process on it, and batches
// whose times differ so no body is a resend of another.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';

export const ADMIN = process.env.BENCH_PG_ADMIN ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
export const BATCH = 1000;
// Distinct bodies per door: ids derived from (labels, time, line) make a body sent twice measure the
// duplicate path; 300 bodies outlast a 10 s run at the rates seen here.
export const BODIES = 300;

export type Entry = Record<string, unknown> & { timestamp: string; level: string; service: string; message: string };

/** Runs one statement on the admin database (CREATE/DROP DATABASE). */
export async function admin(sql: string): Promise<void> {
  const c = new pg.Client(ADMIN);
  await c.connect();
  await c.query(sql);
  await c.end();
}

/** Starts `logsage api` on `url` and `port` (extra env merged in); resolves once /readyz answers, with the ingest key. */
export async function startApi(url: string, port: number, env: Record<string, string> = {}): Promise<{ key: string; stop: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'logsage-bench-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/server/src/cli.ts', 'api'], {
    env: { ...process.env, DATABASE_URL: url, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', DB_POOL_MAX: '4', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 200; i++) {
    if (await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const exited = new Promise((r) => child.on('exit', r));
  const key = readFileSync(join(dataDir, 'ingest.key'), 'utf8').trim();
  return { key, stop: async () => void (child.kill('SIGTERM'), await exited, rmSync(dataDir, { recursive: true, force: true })) };
}

/** `BODIES` batches of `BATCH` entries, each batch's times shifted by its number (microseconds) so no two are alike. */
export function batches<E extends Entry>(entries: E[]): E[][] {
  return Array.from({ length: BODIES }, (_, k) =>
    Array.from({ length: BATCH }, (_, j) => {
      const e = entries[(k * BATCH + j) % entries.length]!;
      return { ...e, timestamp: e.timestamp.replace('Z', `${String(k % 1000).padStart(3, '0')}Z`) };
    }));
}

/** An ISO time with microseconds (…T12:00:00.123456Z) as Unix nanoseconds. */
export const nanos = (iso: string): bigint => BigInt(Date.parse(iso)) * 1_000_000n + BigInt(Number(iso.slice(23, 26)) * 1000);

/** One door: its path, content type, and how a batch becomes a body. */
export interface Door { url: string; type: string; body: (b: Entry[]) => string | Buffer }

/** One printed row; p50/p99 are 'n/a' for a door without acknowledgements (syslog). */
export interface Row { name: string; logsPerSec: number; p50: number | string; p99: number | string; errors: number }

/** Drives one door with autocannon for SECONDS: 8 connections cycling through `bodies` of BATCH entries. */
export async function load(port: number, name: string, key: string, door: Door, bodies: (string | Buffer)[]): Promise<Row> {
  let i = 0;
  const r = await autocannon({
    url: `http://127.0.0.1:${port}${door.url}`,
    method: 'POST',
    headers: { 'content-type': door.type, authorization: `Bearer ${key}` },
    connections: 8,
    duration: SECONDS,
    requests: [{ setupRequest: (req) => ({ ...req, body: bodies[i++ % bodies.length] }) }],
  });
  const ok = r.requests.total - r.non2xx - r.errors;
  return { name, logsPerSec: (ok * BATCH) / r.duration, p50: r.latency.p50, p99: r.latency.p99, errors: r.non2xx + r.errors };
}

/** Whole numbers with thousands separators, as the tables print them. */
export const fmt = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
