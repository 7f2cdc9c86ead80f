// First render of each dashboard view in Chromium, over the dashboard benchmark's dataset (a million
// logs of the last 24 hours in PostgreSQL, analysed, with alerts): from navigation start to the
// view's main data element being visible, in a fresh browser context (nothing cached) and again in
// a warm one (assets cached, as on a second visit). Target: 1.5 s cold.
// Run: node --import tsx bench/dashboard/render.ts (not part of `npm run bench`, which runs index.ts).
// BENCH_DASHBOARD_LOGS, BENCH_DASHBOARD_KEEP and BENCH_DASHBOARD_REUSE as for index.ts (one database
// name: never run two of these at once); BENCH_RENDER_RUNS the runs per view; CHROMIUM_PATH the browser.
import { accessSync, constants } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { postgresAnswers, prepareDashboard, type DashboardDataset } from './prepare.js';

const LOGS = Number(process.env.BENCH_DASHBOARD_LOGS ?? 1_000_000);
const PORT = Number(process.env.BENCH_RENDER_PORT ?? 18_791);
const RUNS = Number(process.env.BENCH_RENDER_RUNS ?? 5);
const TARGET_MS = 1500;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const SHELL = '[data-nav="overview"]';

interface View {
  name: string;
  path: string;
  /** The element that means the view shows its data (the same ones the end-to-end tests wait for). */
  main: string;
}

interface Box { getBoundingClientRect(): { width: number; height: number } }

/**
 * Runs in the page on every animation frame: notes when the shell first shows, and once the main
 * element shows answers both times as performance.now() (ms since navigation start); false before.
 * A function, not a string: the dashboard's CSP forbids eval, as it should.
 */
const renderTimes = (selectors: [string, string]): { shell: number; main: number } | false => {
  const g = globalThis as unknown as { document: { querySelector(s: string): Box | null }; __lsShellAt?: number };
  // No named inner functions: tsx (esbuild keepNames) would wrap them in a helper the page lacks.
  const [shell, main] = selectors.map((sel) => {
    const r = g.document.querySelector(sel)?.getBoundingClientRect();
    return !!r && r.width > 0 && r.height > 0;
  });
  const now = performance.now();
  if (g.__lsShellAt === undefined && shell) g.__lsShellAt = now;
  return main ? { shell: g.__lsShellAt ?? now, main: now } : false;
};

async function views(d: DashboardDataset): Promise<View[]> {
  const get = async <T>(path: string): Promise<T> => {
    const r = await fetch(`${d.url}${path}`, { headers: { authorization: `Bearer ${d.readKey}` } });
    if (!r.ok) throw new Error(`${path} answered ${r.status}`);
    return (await r.json()) as T;
  };
  const log = (await get<{ logs: { id: string }[] }>('/api/v1/logs?anomaly=true&limit=1')).logs[0];
  const alert = (await get<{ alerts: { id: string }[] }>('/api/v1/alerts?limit=1')).alerts[0];
  return [
    { name: 'Overview', path: '/', main: '[data-test="card-levels"] canvas' },
    { name: 'Logs', path: '/logs', main: '[data-test="logs-row"]' },
    ...(log ? [{ name: 'Log', path: `/logs/${log.id}`, main: '[data-test="analysis-panel"]' }] : []),
    { name: 'Templates', path: '/templates', main: '[data-test="template-row"]' },
    { name: 'Alerts', path: '/alerts', main: '[data-test="alert-row"]' },
    ...(alert ? [{ name: 'Alert', path: `/alerts/${alert.id}`, main: '[data-test="alert-header"]' }] : []),
  ];
}

async function sessionCookie(d: DashboardDataset): Promise<string> {
  const r = await fetch(`${d.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(d.admin) });
  const value = /logsage_session=([^;]+)/.exec(r.headers.get('set-cookie') ?? '')?.[1];
  if (!r.ok || !value) throw new Error(`login answered ${r.status}`);
  return value;
}

/** Cold: RUNS fresh contexts, one visit each. Warm: one context, a first visit, then RUNS more. */
async function measure(browser: Browser, d: DashboardDataset, session: string, v: View): Promise<{ cold: number[]; shell: number[]; warm: number[] }> {
  const newContext = async () => {
    const c = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale: 'en-US' });
    await c.addCookies([{ name: 'logsage_session', value: session, url: d.url, httpOnly: true, sameSite: 'Lax' }]);
    return c;
  };
  const visit = async (page: Page): Promise<{ shell: number; main: number }> => {
    await page.goto(`${d.url}${v.path}`, { waitUntil: 'commit' });
    const h = await page.waitForFunction(renderTimes, [SHELL, v.main] as [string, string], { polling: 'raf', timeout: 60_000 });
    return (await h.jsonValue()) as { shell: number; main: number };
  };
  // The shell (the navigation) shows once the app's code has loaded and run and the session is checked, before any view data:
  // the part of the first render that is the bundle's, not the API's.
  const cold: number[] = [];
  const shell: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const c = await newContext();
    const t = await visit(await c.newPage());
    shell.push(t.shell);
    cold.push(t.main);
    await c.close();
  }
  const c = await newContext();
  const page = await c.newPage();
  await visit(page);
  const warm: number[] = [];
  for (let i = 0; i < RUNS; i++) warm.push((await visit(page)).main);
  await c.close();
  return { cold, shell, warm };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? NaN;
const fmt = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 0 });

function chromiumMissing(): boolean {
  try {
    accessSync(CHROMIUM, constants.X_OK);
    return false;
  } catch {
    return true;
  }
}

if (chromiumMissing()) {
  console.log(`bench/dashboard/render needs Chromium at ${CHROMIUM} (CHROMIUM_PATH); skipped`);
} else if (!(await postgresAnswers())) {
  console.log('bench/dashboard/render needs PostgreSQL at 127.0.0.1:5432 (BENCH_PG_ADMIN); skipped');
} else {
  const d = await prepareDashboard({ logs: LOGS, port: PORT, reuse: process.env.BENCH_DASHBOARD_REUSE === '1' });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const session = await sessionCookie(d);
    const rows: string[] = [];
    let fails = 0;
    for (const v of await views(d)) {
      const m = await measure(browser, d, session, v);
      const ok = median(m.cold) <= TARGET_MS;
      if (!ok) fails++;
      rows.push(`| ${v.name} | \`${v.path}\` | \`${v.main}\` | ${fmt(median(m.shell))} | ${fmt(median(m.cold))} | ${fmt(Math.max(...m.cold))} | ${fmt(median(m.warm))} | ≤ ${fmt(TARGET_MS)} | ${ok ? 'PASS' : 'FAIL'} |`);
    }
    console.log(`\n${fmt(d.logs)} logs over the last 24 h in PostgreSQL, ${fmt(d.analysed)} analysed, ${fmt(d.templates)} templates; ` +
      `Chromium ${browser.version()} headless, 1366×860, signed in as admin.`);
    console.log(`First render: navigation start → the view's main data element visible. Cold: ${RUNS} fresh contexts ` +
      `(nothing cached); warm: ${RUNS} more visits in one context after a first. Cold shell: ` +
      `the navigation visible (the app's code loaded and run, the session checked), before any view data.\n`);
    console.log('| view | path | waits for | cold shell ms | cold median ms | cold max ms | warm median ms | target ms | result |');
    console.log('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |');
    for (const r of rows) console.log(r);
    console.log(`\n${rows.length - fails}/${rows.length} views within the target.`);
  } finally {
    await browser.close();
    await d.stop();
  }
}
