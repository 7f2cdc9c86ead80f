// Overview and Templates against a server with real traffic, then every view in English and in
// Chinese: each shows its data with no console error and no CSP violation, and is photographed.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, skipReason, useBrowser } from './browser.js';
import { analysed, apiLogs, attrs, buildLog, rowIds, type ApiLog } from './data.js';
import { MODEL, startStack, until, type Stack } from './stack.js';

interface ApiTemplate { id: string; template: string; count: number }

/** Line shapes the template miner keeps apart; each is sent several times with other numbers. */
const SHAPES: [string, string, (i: number) => string][] = [
  ['api', 'info', (i) => `GET /api/items/${100 + i} returned 200 in ${20 + i} ms`],
  ['api', 'error', (i) => `upstream inventory timed out after ${3 + i} s for request ${900 + i}`],
  ['auth', 'info', (i) => `user ${40 + i} signed in from 10.0.0.${i + 1}`],
  ['auth', 'warn', (i) => `password retry ${i + 1} of 5 for account ${70 + i}`],
  ['db', 'error', (i) => `deadlock detected on table orders, transaction ${500 + i} rolled back`],
  ['worker', 'fatal', (i) => `worker ${i} killed: out of memory`],
  ['worker', 'debug', (i) => `job ${300 + i} picked from queue reports`],
];
const TRAFFIC = SHAPES.flatMap(([service, level, msg]) => [0, 1, 2].map((i) => buildLog({ service, level, message: msg(i) })));

/** The element that says a view has shown its data. */
const MAIN: Record<string, string> = {
  overview: '[data-test="card-levels"] canvas',
  logs: '[data-test="logs-row"]',
  log: '[data-test="analysis-panel"]',
  templates: '[data-test="template-row"]',
  alerts: '[data-test="alert-row"]',
  alert: '[data-test="alert-header"]',
  // No incident in this traffic (no service has an hour of history): the list shows its empty state.
  incidents: '[data-test="incidents-page"] [data-state="empty"], [data-test="incident-row"]',
};

describe.skipIf(skipReason())('overview, templates and every view in both languages (Chromium)', () => {
  let s: Stack;
  let session: string;
  let logs: ApiLog[];
  let alertId: string;
  beforeAll(async () => {
    s = await startStack();
    session = await s.login('admin', s.adminPassword);
    await s.api('POST', '/api/v1/rules', { name: 'Anything high', conditions: { min_severity: 'high' }, group_wait_seconds: 0 });
    await s.ingest(TRAFFIC);
    logs = await analysed(s, TRAFFIC.length);
    alertId = await until(async () => (await s.api<{ alerts: { id: string }[] }>('GET', '/api/v1/alerts')).body.alerts[0]?.id, 'an alert');
  });
  afterAll(async () => {
    await s?.stop();
  });
  const { open } = useBrowser(() => s.baseUrl);

  it('overview draws its charts and shows the analysis state', async () => {
    const { page } = await open({ session });
    await page.goto('/');
    for (const card of ['card-levels', 'card-trend', 'card-severity']) {
      await page.locator(`[data-test="${card}"] canvas`).first().waitFor({ timeout: 15_000 });
    }
    const state = page.locator('[data-test="card-analysis"] [data-test="analysis-state"]');
    await state.waitFor();
    expect(await state.getAttribute('data-state')).toBe('running');
    expect((await page.locator('[data-test="card-analysis"] [data-test="model"]').textContent())?.trim()).toBe(MODEL);
    await expect.poll(async () => (await page.locator('[data-test="backlog"]').textContent())?.trim()).toMatch(/^0\b/);
    // The headline counts the logs sent (all within the last 24 hours).
    expect((await page.locator('[data-test="tile-logs"] [data-test="tile-value"]').textContent())?.trim()).toBe(String(TRAFFIC.length));
    await page.locator('[data-test="card-alerts"] [data-test="firing-alert"]').first().waitFor();
  });

  it('templates lists the mined templates and links each to its logs', async () => {
    const api = (await s.api<{ templates: ApiTemplate[]; total: number }>('GET', '/api/v1/templates?limit=100')).body;
    expect(api.total).toBeGreaterThanOrEqual(SHAPES.length);
    const { page } = await open({ session });
    await page.goto('/templates');
    await page.locator('[data-test="template-row"]').first().waitFor();
    const shown = await attrs(page.locator('[data-test="template-row"]'), 'data-id');
    expect(shown.sort()).toEqual(api.templates.map((t) => t.id).sort());

    // The deadlock shape: its link opens the logs view filtered to exactly that template's logs.
    const tpl = api.templates.find((t) => t.template.includes('deadlock'));
    expect(tpl, JSON.stringify(api.templates.map((t) => t.template))).toBeDefined();
    const row = page.locator('.ls-tpl-row', { has: page.locator(`[data-test="template-row"][data-id="${tpl?.id}"]`) });
    expect((await row.locator('[data-test="template-count"]').textContent())?.trim()).toBe(String(tpl?.count));
    await row.locator('[data-test="template-logs-link"]').click();
    await page.waitForURL((u) => u.pathname === '/logs' && u.searchParams.get('template') === tpl?.id);
    await page.locator(`[data-test="logs-template-chip"][data-id="${tpl?.id}"]`).waitFor();
    const ofTemplate = (await apiLogs(s)).filter((l) => l.analysis?.template_id === tpl?.id).map((l) => l.id);
    expect(ofTemplate).toHaveLength(3);
    await expect.poll(() => rowIds(page)).toEqual(ofTemplate);
  });

  /** Opens a view, waits for its data, and checks it speaks the language; the guard checks the rest. */
  async function visit(page: Page, view: string, path: string, lang: 'en' | 'zh'): Promise<void> {
    await page.goto(path);
    await page.locator(MAIN[view]!).first().waitFor({ timeout: 15_000 });
    const nav = (await page.locator('[data-nav="overview"]').textContent())?.trim();
    expect(nav).toBe(lang === 'zh' ? '总览' : 'Overview');
    await screenshot(page, `${view}-${lang}`);
  }

  for (const lang of ['en', 'zh'] as const) {
    it(`shows every view in ${lang === 'zh' ? 'Chinese' : 'English'} with no CSP violation or console error`, async () => {
      const { page } = await open({ session, locale: lang === 'zh' ? 'zh-CN' : 'en-US' });
      const logId = logs.find((l) => l.level === 'error')?.id;
      const views: [string, string][] = [
        ['overview', '/'], ['logs', '/logs'], ['log', `/logs/${logId}`],
        ['templates', '/templates'], ['alerts', '/alerts'], ['alert', `/alerts/${alertId}`],
        ['incidents', '/incidents'],
      ];
      for (const [view, path] of views) await visit(page, view, path, lang);
    });
  }
});
