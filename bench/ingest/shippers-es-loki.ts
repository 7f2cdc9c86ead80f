// Shipper doors beside the native route: autocannon with batches of 1,000 realistic lines against
// POST /api/v1/logs, POST /es/_bulk (NDJSON, ECS documents), and POST /loki/api/v1/push as JSON and
// as snappy protobuf, into real PostgreSQL. Run alone: `npx tsx bench/ingest/shippers-es-loki.ts`.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import protobuf from 'protobufjs';
import { compressSync } from 'snappy';
import { loadLoghub } from '../lib/loghub.js';
import { realisticEntries } from './rows.js';

const ADMIN = process.env.BENCH_PG_ADMIN ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = 'logsage_bench_shippers';
const PORT = 18_791;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const BATCH = 1000;
// Distinct bodies per door: Loki ids are derived from (labels, time, line), so a body sent twice
// would measure the duplicate path; 300 bodies outlast a 10 s run at the rates seen here.
const BODIES = 300;

const PUSH = protobuf.parse(`
syntax = "proto3";
message Timestamp { int64 seconds = 1; int32 nanos = 2; }
message EntryAdapter { Timestamp timestamp = 1; string line = 2; }
message StreamAdapter { string labels = 1; repeated EntryAdapter entries = 2; }
message PushRequest { repeated StreamAdapter streams = 1; }
`).root.lookupType('PushRequest');

type Entry = Record<string, unknown> & { timestamp: string; level: string; service: string; message: string };

async function admin(sql: string): Promise<void> {
  const c = new pg.Client(ADMIN);
  await c.connect();
  await c.query(sql);
  await c.end();
}

async function startServer(url: string): Promise<{ key: string; stop: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'logsage-bench-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/server/src/cli.ts', 'api'], {
    env: { ...process.env, DATABASE_URL: url, DATA_DIR: dataDir, PORT: String(PORT), LOG_LEVEL: 'warn', DB_POOL_MAX: '4' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 200; i++) {
    if (await fetch(`http://127.0.0.1:${PORT}/readyz`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const exited = new Promise((r) => child.on('exit', r));
  const key = readFileSync(join(dataDir, 'ingest.key'), 'utf8').trim();
  return { key, stop: async () => void (child.kill('SIGTERM'), await exited, rmSync(dataDir, { recursive: true, force: true })) };
}

/** `BODIES` batches of `BATCH` entries, each batch's times shifted by its number (microseconds) so no two are alike. */
function batches(entries: Entry[]): Entry[][] {
  return Array.from({ length: BODIES }, (_, k) =>
    Array.from({ length: BATCH }, (_, j) => {
      const e = entries[(k * BATCH + j) % entries.length]!;
      return { ...e, timestamp: e.timestamp.replace('Z', `${String(k % 1000).padStart(3, '0')}Z`) };
    }));
}

const nanos = (iso: string): bigint => BigInt(Date.parse(iso)) * 1_000_000n + BigInt(Number(iso.slice(23, 26)) * 1000);

function lokiStreams(batch: Entry[]): Map<string, Entry[]> {
  const streams = new Map<string, Entry[]>();
  for (const e of batch) {
    const k = `${e.service}\u0000${e.level}`;
    streams.set(k, [...(streams.get(k) ?? []), e]);
  }
  return streams;
}

const DOORS: Record<string, { url: string; type: string; body: (b: Entry[]) => string | Buffer }> = {
  'native POST /api/v1/logs': { url: '/api/v1/logs', type: 'application/json', body: (b) => JSON.stringify(b) },
  'ES POST /es/_bulk': {
    url: '/es/_bulk',
    type: 'application/x-ndjson',
    body: (b) => b.map((e) => `{"create":{"_index":"bench"}}\n${JSON.stringify({ '@timestamp': e.timestamp, message: e.message, log: { level: e.level }, service: { name: e.service }, host: { name: 'bench-1' } })}\n`).join(''),
  },
  'Loki push, JSON': {
    url: '/loki/api/v1/push',
    type: 'application/json',
    body: (b) => JSON.stringify({ streams: [...lokiStreams(b).values()].map((es) => ({ stream: { service_name: es[0]!.service, level: es[0]!.level }, values: es.map((e) => [nanos(e.timestamp).toString(), e.message]) })) }),
  },
  'Loki push, snappy protobuf': {
    url: '/loki/api/v1/push',
    type: 'application/x-protobuf',
    body: (b) => compressSync(Buffer.from(PUSH.encode(PUSH.fromObject({
      streams: [...lokiStreams(b).values()].map((es) => ({
        labels: `{service_name="${es[0]!.service}", level="${es[0]!.level}"}`,
        entries: es.map((e) => { const ns = nanos(e.timestamp); return { timestamp: { seconds: Number(ns / 1_000_000_000n), nanos: Number(ns % 1_000_000_000n) }, line: e.message }; }),
      })),
    })).finish())),
  },
};

interface Row { name: string; logsPerSec: number; p50: number; p99: number; errors: number }

async function load(name: string, key: string, door: (typeof DOORS)[string], bodies: (string | Buffer)[]): Promise<Row> {
  let i = 0;
  const r = await autocannon({
    url: `http://127.0.0.1:${PORT}${door.url}`,
    method: 'POST',
    headers: { 'content-type': door.type, authorization: `Bearer ${key}` },
    connections: 8,
    duration: SECONDS,
    requests: [{ setupRequest: (req) => ({ ...req, body: bodies[i++ % bodies.length] }) }],
  });
  const ok = r.requests.total - r.non2xx - r.errors;
  return { name, logsPerSec: (ok * BATCH) / r.duration, p50: r.latency.p50, p99: r.latency.p99, errors: r.non2xx + r.errors };
}

const fmt = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 0 });

await admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
await admin(`CREATE DATABASE ${DB}`);
const url = `postgres://postgres@127.0.0.1:5432/${DB}`;
const sample = batches(realisticEntries(loadLoghub(), 20_000) as Entry[]);
const server = await startServer(url);
const rows: Row[] = [];
try {
  for (const [name, door] of Object.entries(DOORS)) rows.push(await load(name, server.key, door, sample.map(door.body)));
} finally {
  await server.stop();
}
console.log(`\n| door (batches of ${fmt(BATCH)}, 8 connections, ${SECONDS} s) | logs/s | p50 ms | p99 ms | non-2xx |`);
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const r of rows) console.log(`| ${r.name} | ${fmt(r.logsPerSec)} | ${r.p50} | ${r.p99} | ${r.errors} |`);
await admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
