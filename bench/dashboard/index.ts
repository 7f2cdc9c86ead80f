// Dashboard benchmark: the API calls behind the Overview and Logs pages, which the dashboard polls
// every 30 s per open tab, over a million logs of the last 24 hours in PostgreSQL. Each call is made
// over HTTP with a read-scoped key, sequentially, after warm-up; target p95 <= 150 ms.
// BENCH_DASHBOARD_LOGS picks another log count; BENCH_DASHBOARD_KEEP=1 keeps the database and
// BENCH_DASHBOARD_REUSE=1 measures a kept one again without generating (its logs age out of the
// last 24 hours as time passes, so use it while working on a query, not for figures).
import { SERVICES } from './data.js';
import { postgresAnswers, prepareDashboard, type DashboardDataset } from './prepare.js';

const LOGS = Number(process.env.BENCH_DASHBOARD_LOGS ?? 1_000_000);
const PORT = Number(process.env.BENCH_DASHBOARD_PORT ?? 18_790);
const RUNS = Number(process.env.BENCH_DASHBOARD_RUNS ?? 40);
const WARMUP = 3;
const TARGET_MS = 150;

interface Call {
  page: string;
  name: string;
  path: string;
}

const CALLS: Call[] = [
  { page: 'Overview', name: 'stats, 24 h', path: '/api/v1/stats' },
  { page: 'Overview', name: 'analysis summary, 24 h', path: '/api/v1/analysis/summary' },
  { page: 'Overview', name: 'top templates with sparklines', path: '/api/v1/templates?order=count&limit=10&sparkline=true' },
  { page: 'Overview', name: 'firing alerts', path: '/api/v1/alerts?state=firing' },
  { page: 'Overview', name: 'status', path: '/api/v1/status' },
  { page: 'Logs', name: 'latest page', path: '/api/v1/logs?limit=100' },
  { page: 'Logs', name: 'anomalies', path: '/api/v1/logs?anomaly=true&limit=10' },
  { page: 'Logs', name: 'severity critical,high', path: '/api/v1/logs?severity=critical,high&limit=100' },
  { page: 'Logs', name: 'critical only (rare)', path: '/api/v1/logs?severity=critical&limit=100' },
  { page: 'Logs', name: 'service filter', path: `/api/v1/logs?service=${SERVICES[3]}&limit=100` },
  { page: 'Logs', name: 'service + level matching nothing', path: `/api/v1/logs?service=${SERVICES[3]}&level=fatal&limit=100` },
  { page: 'Logs', name: 'service + level, page 2 (cursor)', path: `/api/v1/logs?service=${SERVICES[1]}&level=error&limit=100` },
  { page: 'Logs', name: 'full text q=timeout', path: '/api/v1/logs?q=timeout&limit=100' },
  { page: 'Logs', name: 'services', path: '/api/v1/services' },
];

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;

async function get(d: DashboardDataset, path: string): Promise<{ ms: number; body: unknown }> {
  const t = performance.now();
  const r = await fetch(`${d.url}${path}`, { headers: { authorization: `Bearer ${d.readKey}` } });
  const body: unknown = await r.json();
  const ms = performance.now() - t;
  if (!r.ok) throw new Error(`${path} answered ${r.status}: ${JSON.stringify(body).slice(0, 300)}`);
  return { ms, body };
}

/** p50/p95 of RUNS sequential requests after WARMUP ones; a "page 2" call follows the first page's cursor. */
async function measure(d: DashboardDataset, c: Call): Promise<{ p50: number; p95: number; rows: string }> {
  let path = c.path;
  if (c.name.includes('page 2')) {
    const first = (await get(d, path)).body as { next_cursor: string | null };
    if (first.next_cursor) path = `${path}&cursor=${first.next_cursor}`;
  }
  for (let i = 0; i < WARMUP; i++) await get(d, path);
  const times: number[] = [];
  let last: unknown;
  for (let i = 0; i < RUNS; i++) {
    const r = await get(d, path);
    times.push(r.ms);
    last = r.body;
  }
  times.sort((a, b) => a - b);
  return { p50: quantile(times, 0.5), p95: quantile(times, 0.95), rows: describe(last) };
}

/** What the answer held, so a fast empty answer is not mistaken for a fast full one. */
function describe(body: unknown): string {
  const b = body as Record<string, unknown>;
  for (const k of ['logs', 'templates', 'alerts', 'services']) if (Array.isArray(b[k])) return `${(b[k] as unknown[]).length} ${k}`;
  if (Array.isArray(b.by_level)) return `${(b.by_level as unknown[]).length} level buckets`;
  if (typeof b.total === 'number' && Array.isArray(b.trend)) return `${b.total.toLocaleString('en-US')} results`;
  return '';
}

const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

if (!(await postgresAnswers())) {
  console.log('bench/dashboard needs PostgreSQL at 127.0.0.1:5432 (BENCH_PG_ADMIN); skipped');
} else {
  const g0 = performance.now();
  const d = await prepareDashboard({ logs: LOGS, port: PORT, reuse: process.env.BENCH_DASHBOARD_REUSE === '1' });
  const generationS = (performance.now() - g0) / 1000;
  try {
    const rows: string[] = [];
    let fails = 0;
    for (const c of CALLS) {
      const m = await measure(d, c);
      const ok = m.p95 <= TARGET_MS;
      if (!ok) fails++;
      rows.push(`| ${c.page} | ${c.name} | \`${c.path}\` | ${m.rows} | ${fmt(m.p50, 1)} | ${fmt(m.p95, 1)} | ≤ ${TARGET_MS} | ${ok ? 'PASS' : 'FAIL'} |`);
    }
    console.log(`\n${fmt(d.logs)} logs over the last 24 h in PostgreSQL, ${fmt(d.analysed)} analysed by the worker pipeline ` +
      `(every log: LLM stand-in at 0 ms), ${fmt(d.templates)} templates.`);
    console.log(d.ingestSeconds === 0
      ? 'Generation: none (BENCH_DASHBOARD_REUSE: a kept database measured again).'
      : `Generation: ${fmt(generationS, 1)} s in all (database and server start, logs stored through POST /api/v1/logs in ` +
        `${fmt(d.ingestSeconds, 1)} s, all analysed after ${fmt(d.analysisSeconds, 1)} s, then VACUUM (ANALYZE)).`);
    console.log(`Timings: ${RUNS} sequential HTTP requests per call after ${WARMUP} warm-up ones, read-scoped API key.\n`);
    console.log('| page | call | request | answer | p50 ms | p95 ms | target p95 ms | result |');
    console.log('| --- | --- | --- | --- | ---: | ---: | ---: | --- |');
    for (const r of rows) console.log(r);
    console.log(`\n${CALLS.length - fails}/${CALLS.length} calls within the target.`);
  } finally {
    await d.stop();
  }
}
