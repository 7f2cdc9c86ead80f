// Sustained-load benchmark: api, ai and 1 then 2 worker processes (the built dist/cli.js) against
// PostgreSQL and the LLM stand-in, ingest driven at a fixed rate for a fixed time. Prints the
// analysis backlog every 10 s, the p95 ingest→verdict, and the assign pass alone with 1 and 2
// workers (lines stored first, then the workers started and timed until every line is keyed and until
// every line has its result), with the CPU each stage costs per line.
// BENCH_RATE lines/s (default 8000), BENCH_DURATION_S (default 300; 0 skips the sustained part), BENCH_WORKERS (default 1,2),
// BENCH_DRAIN_S (default 300: how long to wait for the backlog after ingest stops),
// BENCH_ASSIGN_LINES (default 120000; 0 skips the assign-alone part), BENCH_CPU_PROF (a directory: the
// workers write CPU profiles there).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startStandIn } from '@logsage/llm-stand-in';
import { cpuSeconds, realisticEntries } from '../ingest/rows.js';
import { loadLoghub } from '../lib/loghub.js';

const ADMIN = process.env.BENCH_PG_ADMIN ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = 'logsage_bench_sustained';
const URL_DB = `postgres://postgres@127.0.0.1:5432/${DB}`;
const RATE = Number(process.env.BENCH_RATE ?? 8000);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 300);
const WORKERS = (process.env.BENCH_WORKERS ?? '1,2').split(',').map(Number);
const DRAIN_S = Number(process.env.BENCH_DRAIN_S ?? 300);
const ASSIGN_LINES = Number(process.env.BENCH_ASSIGN_LINES ?? 120_000);
const API_PORT = 18_790;
const AI_PORT = 18_791;
const CLI = 'packages/server/dist/cli.js';
const TICK_MS = 100;
const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function admin(sql: string): Promise<void> {
  const c = new pg.Client(ADMIN);
  await c.connect();
  await c.query(sql);
  await c.end();
}

/** CPU seconds so far of every PostgreSQL process on the machine (backends, WAL writer, checkpointer). */
function postgresCpu(): number {
  let sum = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') sum += cpuSeconds(Number(pid));
    } catch {
      // the process ended between the listing and the read
    }
  }
  return sum;
}

/** BENCH_CPU_PROF=<dir>: the workers write V8 CPU profiles there (read them in Chrome's DevTools). */
const profile = (role: string): string[] =>
  role === 'worker' && process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];

interface Stack {
  key: string;
  db: pg.Pool;
  /** CPU seconds so far of LogSage's processes of `role` (api, worker, ai). */
  cpu(role: string): number;
  startWorkers(n: number): void;
  stop(): Promise<void>;
}

/** A fresh database, the stand-in, and the api and ai processes; workers are started on demand. */
async function startStack(): Promise<Stack> {
  await admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${DB}`);
  const llm = await startStandIn({ port: 0 });
  const dataDir = mkdtempSync(join(tmpdir(), 'logsage-bench-'));
  const env = { ...process.env, DATABASE_URL: URL_DB, DATA_DIR: dataDir, LOG_LEVEL: 'warn', LLM_BASE_URL: llm.baseUrl, LLM_MODEL: 'bench-model', LLM_RPM: '0' };
  const children: ChildProcess[] = [];
  const roles = new Map<ChildProcess, string>();
  const run = (role: string, extra: Record<string, string>): void => {
    children.push(spawn(process.execPath, [...profile(role), CLI, role], { env: { ...env, ...extra }, stdio: ['ignore', 'ignore', 'inherit'] }));
    roles.set(children.at(-1) as ChildProcess, role);
  };
  run('api', { PORT: String(API_PORT), MAX_EVENT_LOOP_DELAY_MS: '0' });
  for (let i = 0; i < 300; i++) {
    if (await fetch(`http://127.0.0.1:${API_PORT}/readyz`).then((r) => r.ok, () => false)) break;
    await sleep(100);
  }
  run('ai', { AI_GRPC_PORT: String(AI_PORT) });
  const db = new pg.Pool({ connectionString: URL_DB, max: 2 });
  return {
    key: readFileSync(join(dataDir, 'ingest.key'), 'utf8').trim(),
    db,
    cpu: (role) => children.filter((c) => roles.get(c) === role).reduce((n, c) => n + cpuSeconds(c.pid ?? 0), 0),
    startWorkers: (n) => {
      for (let i = 0; i < n; i++) run('worker', { AI_SERVICE_URL: `127.0.0.1:${AI_PORT}` });
    },
    async stop() {
      await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : (c.on('exit', r), c.kill('SIGTERM'))))));
      await db.end();
      await llm.close();
      rmSync(dataDir, { recursive: true, force: true });
      await admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
    },
  };
}

const entries = realisticEntries(loadLoghub(), 32_000);
let cursor = 0;
/** The next `n` entries as one JSON body, stamped now (event time = send time). */
function body(n: number): string {
  const ts = new Date().toISOString();
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) out.push({ ...entries[cursor++ % entries.length], timestamp: ts });
  return JSON.stringify(out);
}

async function post(key: string, payload: string): Promise<boolean> {
  const r = await fetch(`http://127.0.0.1:${API_PORT}/api/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: payload });
  await r.arrayBuffer();
  return r.ok;
}

const count = async (db: pg.Pool, sql: string): Promise<number> => Number((await db.query<{ n: string }>(sql)).rows[0]?.n ?? 0);

interface Sample { t: number; sent: number; unassigned: number; pending: number; results: number }

/** Drives ingest at RATE for DURATION_S (a paced loop, a few requests in flight), sampling every 10 s. */
async function sustain(s: Stack): Promise<{ samples: Sample[]; sent: number; failed: number; drainS: number; left: number; p50: number; p95: number }> {
  const t0 = performance.now();
  const per = Math.max(1, Math.round((RATE * TICK_MS) / 1000));
  let sent = 0, failed = 0, inFlight = 0;
  const samples: Sample[] = [];
  const sample = async (): Promise<void> => {
    const [unassigned, pending, results] = await Promise.all([
      count(s.db, `SELECT count(*)::text AS n FROM analysis_pending WHERE verdict_key IS NULL`),
      count(s.db, `SELECT count(*)::text AS n FROM analysis_pending`),
      count(s.db, `SELECT count(*)::text AS n FROM analysis_results`),
    ]);
    samples.push({ t: (performance.now() - t0) / 1000, sent, unassigned, pending, results });
  };
  const sampler = setInterval(() => void sample().catch(() => undefined), 10_000);
  for (let tick = 0; performance.now() - t0 < DURATION_S * 1000; tick++) {
    // A request that falls behind does not delay the schedule: up to 8 are in flight at once.
    if (inFlight < 8) {
      inFlight++;
      const n = per;
      void post(s.key, body(n)).then(
        (ok) => (ok ? (sent += n) : (failed += n), inFlight--),
        () => ((failed += n), inFlight--),
      );
    }
    const wait = t0 + (tick + 1) * TICK_MS - performance.now();
    if (wait > 0) await sleep(wait);
  }
  while (inFlight > 0) await sleep(20);
  clearInterval(sampler);
  await sample();
  const tEnd = performance.now();
  while ((await count(s.db, `SELECT count(*)::text AS n FROM analysis_pending`)) > 0 && performance.now() - tEnd < DRAIN_S * 1000) await sleep(500);
  const left = await count(s.db, `SELECT count(*)::text AS n FROM analysis_pending`);
  const drainS = (performance.now() - tEnd) / 1000;
  // p95 over the logs that got a verdict: when the backlog did not drain, the rest are later still.
  const lat = (await s.db.query<{ p50: number; p95: number }>(
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.analysed_at - l.received_at)) AS p50,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM r.analysed_at - l.received_at)) AS p95
       FROM analysis_results r JOIN logs l ON l.id = r.log_id AND l.ts = r.ts`,
  )).rows[0];
  return { samples, sent, failed, drainS, left, p50: Number(lat?.p50 ?? 0), p95: Number(lat?.p95 ?? 0) };
}

interface Alone {
  assignS: number; assignPerS: number; analysedS: number; analysedPerS: number;
  /** CPU ms per 1,000 lines: storing them (api + PostgreSQL), then analysing them (workers + ai + PostgreSQL). */
  ingestMs: number; analysisMs: number;
  /** The analysis CPU by process: workers, ai, PostgreSQL (ms per 1,000 lines). */
  split: { worker: number; ai: number; postgres: number };
}

/**
 * Stores `lines` first (no worker running), then times `workers` processes until every line is
 * keyed (the assign pass) and until every line has its result. CPU is read from /proc for each
 * phase, so the table can say what one line costs to store and to analyse on this machine.
 */
async function analysisAlone(workers: number, lines: number): Promise<Alone> {
  const s = await startStack();
  try {
    const pg0 = postgresCpu(), api0 = s.cpu('api');
    for (let i = 0; i < lines; i += 2000) if (!(await post(s.key, body(Math.min(2000, lines - i))))) throw new Error('ingest failed');
    const ingestCpu = s.cpu('api') - api0 + postgresCpu() - pg0;
    const pg1 = postgresCpu(), ai1 = s.cpu('ai');
    const t0 = performance.now();
    s.startWorkers(workers);
    while ((await count(s.db, `SELECT count(*)::text AS n FROM analysis_pending WHERE verdict_key IS NULL`)) > 0) await sleep(100);
    const assignS = (performance.now() - t0) / 1000;
    while ((await count(s.db, `SELECT count(*)::text AS n FROM analysis_pending`)) > 0) await sleep(100);
    const analysedS = (performance.now() - t0) / 1000;
    const split = { worker: s.cpu('worker'), ai: s.cpu('ai') - ai1, postgres: postgresCpu() - pg1 };
    const analysisCpu = split.worker + split.ai + split.postgres;
    const perK = (cpu: number): number => (cpu * 1e6) / lines;
    return {
      split: { worker: perK(split.worker), ai: perK(split.ai), postgres: perK(split.postgres) },
      assignS, assignPerS: lines / assignS, analysedS, analysedPerS: lines / analysedS,
      ingestMs: perK(ingestCpu), analysisMs: perK(analysisCpu),
    };
  } finally {
    await s.stop();
  }
}

if (DURATION_S > 0) {
  console.log(`sustained ingest: ${fmt(RATE)} lines/s for ${DURATION_S} s, Loghub-2k lines (${new Set(entries.map((e) => e.service)).size} services), all levels analysed`);
  const summary: string[] = [];
  for (const w of WORKERS) {
    const s = await startStack();
    try {
      s.startWorkers(w);
      await sleep(3000);
      const r = await sustain(s);
      console.log(`\n${w} worker${w > 1 ? 's' : ''}: backlog every 10 s (unassigned = not yet through the assign pass; pending = no result yet)\n`);
      console.log('| t s | ingested | ingest lines/s (interval) | unassigned | pending | results |');
      console.log('| ---: | ---: | ---: | ---: | ---: | ---: |');
      let prev = { t: 0, sent: 0 };
      for (const x of r.samples) {
        console.log(`| ${fmt(x.t)} | ${fmt(x.sent)} | ${fmt((x.sent - prev.sent) / Math.max(0.001, x.t - prev.t))} | ${fmt(x.unassigned)} | ${fmt(x.pending)} | ${fmt(x.results)} |`);
        prev = x;
      }
      summary.push(`| ${w} | ${fmt(r.sent / DURATION_S)} | ${fmt(r.failed)} | ${fmt(Math.max(...r.samples.map((x) => x.pending)))} | ${fmt(r.samples.at(-1)?.pending ?? 0)} | ${r.left > 0 ? `not drained in ${fmt(r.drainS)} s: ${fmt(r.left)} left` : fmt(r.drainS, 1)} | ${fmt(r.p50, 2)} | ${fmt(r.p95, 2)} |`);
    } finally {
      await s.stop();
    }
  }
  console.log('\n| workers | ingest lines/s achieved | lines refused | max pending | pending at end | drained after s | p50 ingest→verdict s | p95 ingest→verdict s |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const l of summary) console.log(l);
}
if (ASSIGN_LINES > 0) {
  const cores = availableParallelism();
  console.log(`\nanalysis alone: ${fmt(ASSIGN_LINES)} lines stored first, then the workers started (start included); ` +
    `CPU from /proc (PostgreSQL: all its processes), ${cores} cores\n`);
  console.log('| workers | assign pass s | assigned lines/s | all analysed s | analysed lines/s | CPU ms / 1,000 lines stored | CPU ms / 1,000 lines analysed (workers + ai + PostgreSQL) | most lines/s stored and analysed on these cores |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const w of WORKERS) {
    const a = await analysisAlone(w, ASSIGN_LINES);
    // Both stages on the same cores: a line costs ingestMs + analysisMs CPU, so the cores carry at
    // most cores × 1,000 ms of it per second, whatever the number of workers.
    const fit = (cores * 1e6) / (a.ingestMs + a.analysisMs);
    console.log(`| ${w} | ${fmt(a.assignS, 1)} | ${fmt(a.assignPerS)} | ${fmt(a.analysedS, 1)} | ${fmt(a.analysedPerS)} | ${fmt(a.ingestMs)} | ${fmt(a.analysisMs)} (${fmt(a.split.worker)} + ${fmt(a.split.ai)} + ${fmt(a.split.postgres)}) | ${fmt(fit)} |`);
  }
}
