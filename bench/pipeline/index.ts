// Pipeline benchmark: for each Loghub-2k system, LLM calls, tokens and ingest-to-verdict latency of
// LogSage (templates, verdict reuse, batches of 12 representatives) against the seed's scheme (every
// line to the model, 12 per call), both run here against the same LLM stand-in at 0 ms and 2 s.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { startStandIn, type StandIn } from '@logsage/llm-stand-in';
import { parseConfig } from '../../packages/server/src/config/index.js';
import { startLogSage } from '../../packages/server/src/main.js';
import { loadLoghub, loghubEventKinds } from '../lib/loghub.js';
import { measureAssign } from './assign.js';
import { runSeedScheme } from './seed.js';

const ADMIN = process.env.BENCH_PG_ADMIN ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = 'logsage_bench_pipeline';
const BENCH_DATA_DIR = mkdtempSync(join(tmpdir(), 'logsage-bench-'));
const DELAYS = (process.env.BENCH_LLM_DELAYS ?? '0,2000').split(',').map(Number);

async function admin(sql: string): Promise<void> {
  const c = new pg.Client(ADMIN);
  await c.connect();
  await c.query(sql);
  await c.end();
}

interface Row {
  system: string;
  delayMs: number;
  lines: number;
  /** Templates the miner created (ids later generalised away included). */
  templates: number;
  /** Distinct ground-truth event kinds (EventId) of the system: what the call target is computed from. */
  kinds: number;
  calls: number;
  target: number;
  promptTokens: number;
  completionTokens: number;
  p50: number;
  p95: number;
  allDoneS: number;
}

/** One system through a fresh LogSage (worker + ai roles, default batching) on a fresh database. */
async function runLogSage(llm: StandIn, system: string, lines: string[], delayMs: number, kinds: number): Promise<Row> {
  await admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${DB}`);
  const cfg = parseConfig({
    DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${DB}`,
    DATA_DIR: BENCH_DATA_DIR,
    LLM_BASE_URL: llm.baseUrl,
    LLM_MODEL: 'bench-model',
    LLM_RPM: '0',
    AI_GRPC_PORT: '0',
    AUTH_DISABLED: 'true',
    ANALYSIS_LANGUAGE: 'en',
    LOG_LEVEL: 'silent',
  });
  const running = await startLogSage(cfg, ['worker', 'ai'], pino({ level: 'silent' }), { announce: () => undefined });
  llm.reset();
  llm.setDelay(delayMs);
  const t0 = performance.now();
  try {
    // A shipper's pace: 200 lines every 100 ms.
    for (let i = 0; i < lines.length; i += 200) {
      const r = await running.app.inject({ method: 'POST', url: '/api/v1/logs', headers: { 'content-type': 'text/plain' }, payload: lines.slice(i, i + 200).join('\n') });
      if (r.statusCode !== 200) throw new Error(`ingest answered ${r.statusCode}: ${r.body}`);
      await new Promise((res) => setTimeout(res, 100));
    }
    const q = async <T>(sql: string): Promise<T> => (await running.db.query<T>(sql)).rows[0] as T;
    for (;;) {
      const { n } = await q<{ n: string }>(`SELECT count(*)::text AS n FROM analysis_pending`);
      if (n === '0') break;
      if (performance.now() - t0 > 600_000) throw new Error(`${system}: not analysed within 10 minutes`);
      await new Promise((res) => setTimeout(res, 50));
    }
    const allDoneS = (performance.now() - t0) / 1000;
    const lat = await q<{ p50: number; p95: number }>(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.analysed_at - l.received_at)) AS p50,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM r.analysed_at - l.received_at)) AS p95
         FROM analysis_results r JOIN logs l ON l.id = r.log_id AND l.ts = r.ts`,
    );
    const { n: templates } = await q<{ n: string }>(`SELECT count(*)::text AS n FROM log_templates`);
    const s = llm.stats();
    return {
      system, delayMs, lines: lines.length, templates: Number(templates), kinds, calls: s.calls, target: 1.1 * Math.ceil(kinds / 12),
      promptTokens: s.promptTokens, completionTokens: s.completionTokens, p50: Number(lat.p50), p95: Number(lat.p95), allDoneS,
    };
  } finally {
    await running.stop();
  }
}

const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

const loghub = loadLoghub();
if (!loghub) {
  console.log('bench/pipeline needs ../shared/loghub-2k beside this checkout; skipped');
} else {
  const llm = await startStandIn({ port: 0 });
  const rows: Row[] = [];
  const seed = new Map<string, Awaited<ReturnType<typeof runSeedScheme>>>();
  const kinds = loghubEventKinds();
  try {
    for (const [system, lines] of loghub) {
      seed.set(system, await runSeedScheme(llm, system, lines, 3));
      for (const d of DELAYS) rows.push(await runLogSage(llm, system, lines, d, kinds.get(system) ?? 0));
      const last = rows.at(-1);
      if (last) console.error(`${system}: ${last.templates} templates, ${last.calls} calls`);
    }
  } finally {
    await llm.close();
    await admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  }
  printTables(rows, seed);
  const all = [...loghub.values()].flat();
  const a = await measureAssign(ADMIN, DB, all);
  console.log(`\nassign pass alone (no LLM; all systems' lines stored first): ${fmt(a.lines)} lines, ${a.templates} templates, ` +
    `all keyed ${fmt(a.seconds, 1)} s after the worker started = ${fmt(a.perSecond)} lines/s (worker start included)`);
}

function printTables(rows: Row[], seed: Map<string, Awaited<ReturnType<typeof runSeedScheme>>>): void {
  console.log('\nLLM calls and tokens (stand-in at 0 ms; seed = every line to the model, 12 per call, measured in this run)\n');
  console.log('| system | lines | ground-truth kinds k | templates mined | calls | target ≤ 1.1×⌈k/12⌉ | seed calls | prompt tokens | seed prompt tokens | token ratio |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows.filter((x) => x.delayMs === DELAYS[0])) {
    const s = seed.get(r.system);
    const ok = r.calls <= r.target ? '' : ' ✗';
    console.log(`| ${r.system} | ${fmt(r.lines)} | ${r.kinds} | ${r.templates} | ${r.calls}${ok} | ${fmt(r.target, 1)} | ${s?.calls ?? ''} | ${fmt(r.promptTokens)} | ${fmt(s?.promptTokens ?? 0)} | ${fmt((s?.promptTokens ?? 0) / Math.max(1, r.promptTokens), 1)}× |`);
  }
  console.log('\nIngest-to-verdict latency per log (received_at → analysed_at), defaults: batches of 12, 2 s max wait, 3 workers\n');
  console.log('| system | stand-in delay | p50 s | p95 s | all analysed after s | seed scheme, 0 ms, s |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) console.log(`| ${r.system} | ${r.delayMs} ms | ${fmt(r.p50, 2)} | ${fmt(r.p95, 2)} | ${fmt(r.allDoneS, 1)} | ${r.delayMs === DELAYS[0] ? fmt(seed.get(r.system)?.seconds ?? 0, 1) : ''} |`);
  const zero = rows.filter((r) => r.delayMs === 0);
  const sumCalls = zero.reduce((n, r) => n + r.calls, 0);
  const sumSeed = [...seed.values()].reduce((n, s) => n + s.calls, 0);
  console.log(`\ntotal: ${sumCalls} LLM calls against ${sumSeed} for the seed scheme (${fmt(sumSeed / Math.max(1, sumCalls), 1)}× fewer); ` +
    `systems within the call target: ${zero.filter((r) => r.calls <= r.target).length}/${zero.length}; ` +
    `p95 ≤ 3 s at 0 ms: ${zero.filter((r) => r.p95 <= 3).length}/${zero.length}`);
}
