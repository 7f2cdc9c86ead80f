// The logs view in real Chromium: logs ingested through the API appear with the stand-in's
// analysis, filters live in the URL and show what the API returns, and log text stays text.
import { analyseLog } from '@logsage/llm-stand-in';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choose, screenshot, skipReason, useBrowser } from './browser.js';
import { analysed, apiLogs, buildLog, rowIds, type ApiLog } from './data.js';
import { MODEL, startStack, until, type Stack } from './stack.js';

const XSS = '<img src=x onerror=alert(1)>';
const FILTERED = [
  buildLog({ service: 'checkout', level: 'error', message: 'payment gateway refused card zebra' }),
  buildLog({ service: 'checkout', level: 'info', message: 'order placed in basket zebra' }),
  buildLog({ service: 'checkout', level: 'warn', message: 'slow response from tax calculator zebra' }),
  buildLog({ service: 'checkout', level: 'info', message: 'coupon accepted for customer' }),
  buildLog({ service: 'checkout', level: 'error', message: 'stock reservation exception for sku' }),
  buildLog({ service: 'auth', level: 'error', message: 'token verification failed zebra' }),
  buildLog({ service: 'auth', level: 'info', message: 'session opened for operator' }),
];

const text = async (page: Page, test: string, scope = page.locator('body')): Promise<string> =>
  ((await scope.locator(`[data-test="${test}"]`).first().textContent()) ?? '').trim();

/** The search box: Element Plus may put the attribute on the input or on its wrapper. */
const searchBox = (page: Page) => page.locator('input[data-test="logs-search"], [data-test="logs-search"] input').first();

describe.skipIf(skipReason())('logs view (Chromium, PostgreSQL, stand-in)', () => {
  let s: Stack;
  let session: string;
  beforeAll(async () => {
    s = await startStack();
    session = await s.login('admin', s.adminPassword);
  });
  afterAll(async () => {
    await s?.stop();
  });
  const { open } = useBrowser(() => s.baseUrl);

  /** Asserts the panel shows this log's message and the stand-in's analysis of it. */
  async function expectPanel(page: Page, log: ApiLog, entry: Record<string, unknown>): Promise<void> {
    const panel = page.locator(`[data-test="analysis-panel"][data-id="${log.id}"]`);
    await panel.waitFor();
    const expected = analyseLog({ level: String(entry.level), service: String(entry.service), message: String(entry.message) }, 'en');
    expect(await text(page, 'log-message', panel)).toBe(entry.message);
    expect(await text(page, 'analysis-summary', panel)).toBe(expected.summary);
    expect(await text(page, 'analysis-model', panel)).toBe(MODEL);
    expect(await panel.locator('[data-test="analysis-source"]').getAttribute('data-source')).toBe(log.analysis?.source);
    expect(await text(page, 'analysis-source', panel)).toMatch(log.analysis?.source === 'llm' ? /model/i : /template/i);
  }

  it('shows an ingested log after a refresh, and its analysis from the stand-in in the drawer and on /logs/:id', async () => {
    const { page } = await open({ session });
    await page.goto('/logs');
    await page.locator('[data-test="logs-filters"]').waitFor();
    const entry = buildLog({ service: 'billing', level: 'error', message: 'invoice 4711 could not be saved: connection refused by billing-db' });
    await s.ingest([entry]);
    const [log] = await analysed(s, 1);
    expect(log?.analysis?.model).toBe(MODEL);

    await page.locator('[data-test="refresh"]').click();
    const row = page.locator(`[data-test="logs-row"][data-id="${log?.id}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await text(page, 'logs-row-message', row)).toBe(entry.message);
    expect(await row.locator('[data-test="logs-row-analysis"]').getAttribute('data-status')).toBe('done');
    await row.click();
    await page.locator('[data-test="log-drawer"]').waitFor();
    await expectPanel(page, log!, entry);
    await screenshot(page, 'logs-drawer-en');

    await page.goto(`/logs/${log?.id}`);
    await expectPanel(page, log!, entry);
    await screenshot(page, 'log-page-en');
  });

  it('picks up a new log by polling (every 10 s) without a click', async () => {
    const { page } = await open({ session });
    await page.goto('/logs');
    await page.locator('[data-test="logs-filters"]').waitFor();
    await choose(page, 'poll-select', 'Every 10 s');
    const entry = buildLog({ service: 'billing', level: 'warn', message: 'dunning run slow for account 99' });
    await s.ingest([entry]);
    const id = await until(async () => (await apiLogs(s, 'service=billing&q=dunning'))[0]?.id, 'the new log in the API');
    const row = page.locator(`[data-test="logs-row"][data-id="${id}"]`);
    await row.waitFor({ timeout: 15_000 });
    // The row, pending or not when it first came, shows its analysis by a later poll.
    await expect.poll(() => row.locator('[data-test="logs-row-analysis"]').getAttribute('data-status'), { timeout: 25_000, interval: 500 }).toBe('done');
  });

  it('filters by service, word, anomaly and level; the URL carries them and the rows are what the API returns', async () => {
    const before = (await apiLogs(s)).length;
    await s.ingest(FILTERED);
    await analysed(s, before + FILTERED.length);
    const { page } = await open({ session, viewport: { width: 1366, height: 1100 } });
    await page.goto('/logs');
    await page.locator('[data-test="logs-filters"]').waitFor();

    /** The same query straight from the API, and the rows on screen must be those, in that order. */
    const sameAsApi = async (query: string, size: number): Promise<void> => {
      const ids = (await apiLogs(s, query)).map((l) => l.id);
      expect(ids, `the API's answer to ${query}`).toHaveLength(size);
      await expect.poll(() => rowIds(page), { timeout: 10_000, message: `rows for ${query}` }).toEqual(ids);
    };
    const urlHas = async (key: string, value: string): Promise<void> => {
      await page.waitForURL((u) => u.searchParams.get(key) === value, { timeout: 10_000 });
    };

    await choose(page, 'logs-filter-service', /^checkout$/);
    await page.keyboard.press('Escape');
    await urlHas('service', 'checkout');
    await sameAsApi('service=checkout', 5);

    await searchBox(page).fill('zebra');
    await searchBox(page).press('Enter');
    await urlHas('q', 'zebra');
    await sameAsApi('service=checkout&q=zebra', 3);

    await page.locator('[data-test="logs-filter-anomaly"]').click();
    await urlHas('anomaly', '1');
    await sameAsApi('service=checkout&q=zebra&anomaly=true', 2);

    await choose(page, 'logs-filter-level', /^error$/);
    await page.keyboard.press('Escape');
    await urlHas('level', 'error');
    const query = 'service=checkout&q=zebra&anomaly=true&level=error';
    await sameAsApi(query, 1);
    await screenshot(page, 'logs-filtered-en');

    // The URL alone reproduces the view: a reload (or a shared link) shows the same rows and controls.
    const url = page.url();
    await page.reload();
    await sameAsApi(query, 1);
    expect(page.url()).toBe(url);
    expect(await searchBox(page).inputValue()).toBe('zebra');

    // Back undoes the last filter.
    await page.goBack();
    await page.waitForURL((u) => !u.searchParams.has('level'));
    await sameAsApi('service=checkout&q=zebra&anomaly=true', 2);
  });

  it('shows a log whose message is HTML as that literal text everywhere, and runs none of it', async () => {
    await s.ingest([buildLog({ service: 'xss', level: 'error', message: XSS, attributes: { note: '<script>alert(2)</script>' } })]);
    const log = await until(async () => {
      const [l] = await apiLogs(s, 'service=xss');
      return l?.analysis_status === 'done' ? l : undefined;
    }, 'the HTML log analysed');
    const { page, dialogs } = await open({ session });
    await page.goto('/logs?service=xss');
    const row = page.locator(`[data-test="logs-row"][data-id="${log.id}"]`);
    await row.waitFor();
    expect(await text(page, 'logs-row-message', row)).toBe(XSS);
    await row.click();
    const panel = page.locator(`[data-test="analysis-panel"][data-id="${log.id}"]`);
    await panel.waitFor();
    expect(await text(page, 'log-message', panel)).toBe(XSS);
    // The model's summary quotes the message: it must stay text too.
    expect(await text(page, 'analysis-summary', panel)).toContain(XSS);
    expect(await page.locator('body').textContent()).toContain('<script>alert(2)</script>');
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    await screenshot(page, 'logs-xss-en');

    await page.goto(`/logs/${log.id}`);
    await page.locator(`[data-test="analysis-panel"][data-id="${log.id}"]`).waitFor();
    expect(await text(page, 'log-message')).toBe(XSS);
    expect(await page.locator('img[src="x"]').count()).toBe(0);

    await page.goto('/templates');
    await page.locator('[data-test="template-row"]').first().waitFor();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    await page.waitForTimeout(500); // an onerror handler would have fired by now
    expect(dialogs).toEqual([]);
  });
});
