// Ingest benchmark: autocannon against POST /api/v1/logs (batches of 100 and 1,000 realistic lines)
// into real PostgreSQL, and raw COPY of the same rows into the same table as this machine's limit.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { loadLoghub } from '../lib/loghub.js';
import { copyRows, cpuSeconds, logsVariant, realisticEntries } from './rows.js';

const ADMIN = process.env.BENCH_PG_ADMIN ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = 'logsage_bench';
const PORT = 18_789;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
// The api is the built one (npm run build), as deployed: run from the sources through tsx it held
// tens of MiB more for the transpiler. BENCH_API_FLAGS: Node flags for the api process only (e.g. "--max-semi-space-size=8").

async function admin(sql: string): Promise<void> {
  const c = new pg.Client(ADMIN);
  await c.connect();
  await c.query(sql);
  await c.end();
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

async function startServer(url: string): Promise<{ pid: number; key: string; stop: () => Promise<void> }> {
  // Shippers authenticate: the first start's ingest key (written to DATA_DIR) is what every request carries.
  const dataDir = mkdtempSync(join(tmpdir(), 'logsage-bench-'));
  const child = spawn(process.execPath, [...(process.env.BENCH_API_FLAGS?.split(' ').filter(Boolean) ?? []), ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : []), 'packages/server/dist/cli.js', 'api'], {
    env: { ...process.env, DATABASE_URL: url, DATA_DIR: dataDir, PORT: String(PORT), LOG_LEVEL: 'warn', DB_POOL_MAX: '4' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 200; i++) {
    const ok = await fetch(`http://127.0.0.1:${PORT}/readyz`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const exited = new Promise((r) => child.on('exit', r));
  const key = readFileSync(join(dataDir, 'ingest.key'), 'utf8').trim();
  return { pid: child.pid!, key, stop: async () => void (child.kill('SIGTERM'), await exited, rmSync(dataDir, { recursive: true, force: true })) };
}

interface Row { name: string; logsPerSec: number; mbPerSec: number; p50: number; p99: number; rss: number; errors: number; apiCpu: number; pgCpu: number }

/** CPU seconds so far of each PostgreSQL backend connected to the bench database, by pid. */
async function backendCpu(): Promise<Map<number, number>> {
  const c = new pg.Client(ADMIN);
  await c.connect();
  const r = await c.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [DB]);
  await c.end();
  return new Map(r.rows.map((x) => [x.pid, cpuSeconds(x.pid)]));
}

async function load(name: string, server: { pid: number; key: string }, bodies: string[], batch: number, connections: number): Promise<Row> {
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssOf(server.pid))), 200);
  let i = 0;
  const [api0, pg0] = [cpuSeconds(server.pid), await backendCpu()];
  const r = await autocannon({
    url: `http://127.0.0.1:${PORT}/api/v1/logs`,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.key}` },
    connections,
    duration: SECONDS,
    requests: [{ setupRequest: (req) => ({ ...req, body: bodies[i++ % bodies.length] }) }],
  });
  clearInterval(sampler);
  const pg1 = await backendCpu();
  // Backends that ended during the run are left out (their CPU can no longer be read): pool
  // connections live 30 s idle, so within a run they do not end.
  const pgCpu = [...pg1].reduce((n, [pid, cpu]) => n + cpu - (pg0.get(pid) ?? 0), 0);
  const apiCpu = cpuSeconds(server.pid) - api0;
  const ok = r.requests.total - r.non2xx - r.errors;
  const avgBytes = bodies.reduce((n, b) => n + Buffer.byteLength(b), 0) / bodies.length;
  return {
    name, logsPerSec: (ok * batch) / (r.duration), mbPerSec: (ok * avgBytes) / r.duration / 1e6,
    p50: r.latency.p50, p99: r.latency.p99, rss: peak, errors: r.non2xx + r.errors,
    apiCpu: (apiCpu * 1e6) / (ok * batch), pgCpu: (pgCpu * 1e6) / (ok * batch),
  };
}

const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

await admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
await admin(`CREATE DATABASE ${DB}`);
const url = `postgres://postgres@127.0.0.1:5432/${DB}`;
const loghub = loadLoghub();
console.log(loghub ? `lines: Loghub-2k, ${loghub.size} systems` : 'lines: generated (../shared/loghub-2k not present)');
const entries = realisticEntries(loghub, 20_000);
const bodiesOf = (size: number) => Array.from({ length: Math.floor(entries.length / size) }, (_, k) => JSON.stringify(entries.slice(k * size, (k + 1) * size)));

const server = await startServer(url);
const rows: Row[] = [];
try {
  rows.push(await load('HTTP, batches of 100', server, bodiesOf(100), 100, 16));
  rows.push(await load('HTTP, batches of 1,000', server, bodiesOf(1000), 1000, 8));
} finally {
  await server.stop();
}
const copy = await copyRows(url, entries, SECONDS);
// The same COPY into copies of the table without some of its indexes: what each costs per row.
const variants: [string, (index: string) => boolean][] = [
  ['without the full-text index', (i) => !i.includes('fts')],
  ['primary key and id index only', (i) => i.endsWith('logs_id_idx')],
  ['primary key only', () => false],
];
const variantRows: { name: string; rowsPerSec: number; mbPerSec: number; cpuMsPer1k: number }[] = [];
for (const [k, [name, keep]] of variants.entries()) {
  variantRows.push({ name, ...(await copyRows(url, entries, SECONDS, await logsVariant(url, `logs_variant${k}`, keep))) });
}
// CPU ms per 1,000 logs (api process; PostgreSQL backends of the bench database): what a row costs
// whatever else shares the cores, where logs/s falls with the machine's load.
console.log(`\n| run | logs/s | MB/s | p50 ms | p99 ms | server RSS MiB | non-2xx | ratio to COPY | api CPU ms/1k | PostgreSQL CPU ms/1k |`);
console.log(`| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`);
for (const r of rows) {
  console.log(`| ${r.name} | ${fmt(r.logsPerSec)} | ${fmt(r.mbPerSec, 1)} | ${r.p50} | ${r.p99} | ${fmt(r.rss / 2 ** 20)} | ${r.errors} | ${fmt(r.logsPerSec / copy.rowsPerSec, 2)} | ${fmt(r.apiCpu)} | ${fmt(r.pgCpu)} |`);
}
console.log(`| raw COPY, ${copy.streams} streams, same schema (machine limit) | ${fmt(copy.rowsPerSec)} | ${fmt(copy.mbPerSec, 1)} | | | | | 1.00 | | ${fmt(copy.cpuMsPer1k)} |`);
for (const v of variantRows) {
  console.log(`| raw COPY, ${v.name} | ${fmt(v.rowsPerSec)} | ${fmt(v.mbPerSec, 1)} | | | | | ${fmt(v.rowsPerSec / copy.rowsPerSec, 2)} | | ${fmt(v.cpuMsPer1k)} |`);
}
console.log('\ntargets: ≥ 50,000 logs/s, ≥ 0.5 of raw COPY, p99 ≤ 200 ms');
await admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);

// BENCH_DOORS=0 measures the native route alone (the write path), leaving out the shippers' doors.
if (process.env.BENCH_DOORS !== '0') {
  // The shippers' doors (Elasticsearch _bulk, Loki push) beside the native route, on their own database.
  await import('./shippers-es-loki.js');
  // OTLP/HTTP logs (JSON, protobuf) and syslog over TCP beside the native route, on their own database.
  await import('./shippers-otlp-syslog.js');
}
