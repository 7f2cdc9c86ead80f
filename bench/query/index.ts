// Queries at scale: the Logs and Overview reads over 10,000,000 logs of the last 7 days in
// PostgreSQL (English and Chinese lines), measured while shippers keep writing at half the rate
// the same run just measured as its maximum. Target: p95 <= 150 ms per call.
// BENCH_QUERY_LOGS picks another log count, BENCH_QUERY_DAYS another span; BENCH_DASHBOARD_KEEP=1
// keeps the database (logsage_bench_query) and BENCH_DASHBOARD_REUSE=1 measures a kept one again.
import { generateEntries, Rand, SERVICES } from '../dashboard/data.js';
import { postgresAnswers, prepareDashboard, type DashboardDataset } from '../dashboard/prepare.js';
import { generateChinese } from './chinese.js';

const LOGS = Number(process.env.BENCH_QUERY_LOGS ?? 10_000_000);
const DAYS = Number(process.env.BENCH_QUERY_DAYS ?? 7);
const PORT = Number(process.env.BENCH_QUERY_PORT ?? 18_791);
const RUNS = Number(process.env.BENCH_QUERY_RUNS ?? 40);
const WARMUP = 3;
const TARGET_MS = 150;
const ZH_SHARE = 0.08;

const CALLS: { name: string; path: string }[] = [
  { name: 'latest page', path: '/api/v1/logs?limit=100' },
  { name: 'service + level', path: `/api/v1/logs?service=${SERVICES[1]}&level=error&limit=100` },
  { name: 'word search', path: `/api/v1/logs?q=${encodeURIComponent('timeout')}&limit=100` },
  { name: 'Chinese word search', path: `/api/v1/logs?q=${encodeURIComponent('数据库')}&limit=100` },
  { name: 'phrase', path: `/api/v1/logs?q=${encodeURIComponent('"connection refused"')}&limit=100` },
  { name: 'rare word (one service)', path: `/api/v1/logs?q=${encodeURIComponent('violation service:billing')}&limit=100` },
  { name: 'stats, 24 h', path: '/api/v1/stats' },
  { name: 'templates list', path: '/api/v1/templates?order=count&limit=50' },
];

/** The dashboard benchmark's lines, with a share of them written in Chinese, as mixed fleets log. */
function entries(start: number, count: number, total: number, now: number, span: number): Record<string, unknown>[] {
  const out = generateEntries(start, count, total, now, span);
  const r = new Rand(start + 7);
  for (const e of out) if (r.next() < ZH_SHARE) Object.assign(e, generateChinese(r, String(e.level)));
  return out;
}

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

async function get(d: DashboardDataset, path: string): Promise<{ ms: number; body: Record<string, unknown> }> {
  const t = performance.now();
  const r = await fetch(`${d.url}${path}`, { headers: { authorization: `Bearer ${d.readKey}` } });
  const body = (await r.json()) as Record<string, unknown>;
  const ms = performance.now() - t;
  if (!r.ok) throw new Error(`${path} answered ${r.status}: ${JSON.stringify(body).slice(0, 300)}`);
  return { ms, body };
}

/** What the answer held, so a fast empty answer is not mistaken for a fast full one. */
function describe(b: Record<string, unknown>): string {
  for (const k of ['logs', 'templates']) if (Array.isArray(b[k])) return `${(b[k] as unknown[]).length} ${k}`;
  if (Array.isArray(b.by_level)) return `${(b.by_level as unknown[]).length} level buckets`;
  return '';
}

/**
 * Writes batches of 1,000 through POST /api/v1/logs at `rate` logs/s until stopped (the shippers
 * that keep writing while people read); returns how many were stored and at what rate.
 */
function backgroundIngest(d: DashboardDataset, key: string, rate: number): { stop(): Promise<{ logs: number; seconds: number }> } {
  let stopped = false;
  let stored = 0;
  const t0 = performance.now();
  const run = (async () => {
    for (let i = 0; !stopped; i++) {
      const due = t0 + (i * 1000 * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((res) => setTimeout(res, wait));
      const batch = entries(LOGS + i * 1000, 1000, 1000, Date.now(), 1000);
      const r = await fetch(`${d.url}/api/v1/logs`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(batch) });
      await r.arrayBuffer();
      if (r.ok) stored += 1000;
    }
  })();
  return {
    async stop() {
      stopped = true;
      await run;
      return { logs: stored, seconds: (performance.now() - t0) / 1000 };
    },
  };
}

if (!(await postgresAnswers())) {
  console.log('bench/query needs PostgreSQL at 127.0.0.1:5432 (BENCH_PG_ADMIN); skipped');
} else {
  const d = await prepareDashboard({
    logs: LOGS, port: PORT, reuse: process.env.BENCH_DASHBOARD_REUSE === '1', spanMs: DAYS * 86_400_000, database: 'logsage_bench_query', entries,
    // Ten million lines take the worker far longer to analyse than to store: readers query while it works.
    waitForAnalysis: false,
  });
  if (process.env.BENCH_DASHBOARD_REUSE === '1') await d.running.db.query('ANALYZE');
  try {
    const ingestKey = (await d.running.security.auth.keys.create({ name: 'bench ingest', scopes: ['ingest'] }, { kind: 'user', id: '', name: 'bench' })).key;
    const maxRate = d.ingestSeconds > 0 ? d.logs / d.ingestSeconds : Number(process.env.BENCH_QUERY_RATE ?? 10_000);
    const half = Math.round(maxRate / 2);
    const countResults = async (): Promise<number> => Number((await d.running.db.query<{ n: string }>('SELECT count(*)::text AS n FROM analysis_results')).rows[0]?.n);
    const before = { n: await countResults(), t: performance.now() };
    const ingest = backgroundIngest(d, ingestKey, half);
    const rows: string[] = [];
    let fails = 0;
    for (const c of CALLS) {
      for (let i = 0; i < WARMUP; i++) await get(d, c.path);
      const times: number[] = [];
      let last: Record<string, unknown> = {};
      for (let i = 0; i < RUNS; i++) {
        const r = await get(d, c.path);
        times.push(r.ms);
        last = r.body;
      }
      times.sort((a, b) => a - b);
      const p95 = quantile(times, 0.95);
      if (p95 > TARGET_MS) fails++;
      rows.push(`| ${c.name} | \`${decodeURIComponent(c.path)}\` | ${describe(last)} | ${fmt(quantile(times, 0.5), 1)} | ${fmt(p95, 1)} | ≤ ${TARGET_MS} | ${p95 <= TARGET_MS ? 'PASS' : 'FAIL'} |`);
    }
    const bg = await ingest.stop();
    const analysed = await countResults();
    const drain = (analysed - before.n) / ((performance.now() - before.t) / 1000);
    console.log(`\n${fmt(d.logs)} logs over the last ${DAYS} days in PostgreSQL (${fmt(ZH_SHARE * 100)} % of them Chinese), ` +
      `${fmt(d.templates)} templates; ${fmt(analysed)} logs analysed when the measurements ended: the worker, in the same process, ` +
      `analysed ${fmt(drain)} logs/s of the backlog while they ran.`);
    console.log(d.ingestSeconds === 0
      ? 'Loading: none (BENCH_DASHBOARD_REUSE); statistics refreshed by ANALYZE first.'
      : `Loading through POST /api/v1/logs: ${fmt(d.ingestSeconds, 1)} s (${fmt(maxRate)} logs/s, this run's maximum), then ANALYZE.`);
    console.log(`While measuring, ingest kept writing: ${fmt(bg.logs)} logs in ${fmt(bg.seconds, 1)} s = ${fmt(bg.logs / bg.seconds)} logs/s ` +
      `(target: half the maximum, ${fmt(half)} logs/s).`);
    console.log(`Timings: ${RUNS} sequential HTTP requests per call after ${WARMUP} warm-up ones, read-scoped API key.\n`);
    console.log('| call | request | answer | p50 ms | p95 ms | target p95 ms | result |');
    console.log('| --- | --- | --- | ---: | ---: | ---: | --- |');
    for (const r of rows) console.log(r);
    console.log(`\n${CALLS.length - fails}/${CALLS.length} calls within the target.`);
  } finally {
    await d.stop();
  }
}
