// Alert rules in real Chromium: an editor builds a rule in the editor, previews it against analysed
// logs (the count equals the API's preview of the same body), saves it (the API holds exactly what
// was entered), sees it fire in the list; a regular expression the server refuses shows the server's
// reason under its field and saves nothing; enable/disable and delete from the list; a viewer gets
// no edit controls. Screenshots of the list and the editor in English and Chinese.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choose, screenshot, skipReason, useBrowser } from './browser.js';
import { analysed, attrs, buildLog } from './data.js';
import { startStack, until, type Stack } from './stack.js';

interface ApiRule { id: string; name: string; enabled: boolean; [k: string]: unknown }
interface Preview { matched: number; alerts: number; groups: { labels: Record<string, string>; alerts: number; matches: number }[] }

/** What the editor fills in below, as the API body it must send. */
const ENTERED = {
  kind: 'result',
  name: 'Payment path timeouts',
  description: 'Checkout and payments timing out',
  enabled: true,
  conditions: { min_severity: 'high', anomaly: true, services: ['checkout', 'payments'], levels: ['error'], text_contains: 'timed out' },
  threshold: { count: 2, window_minutes: 10 },
  group_by: ['service', 'severity'],
  group_wait_seconds: 0,
  group_interval_seconds: null,
  repeat_interval_seconds: 7200,
  resolve_after_minutes: null,
  notify_resolved: true,
};
const timeouts = (service: string, n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => buildLog({ service, level: 'error', message: `upstream timed out after ${3 + i} s for request ${from + i}` }));
const TRAFFIC = [
  ...timeouts('checkout', 4, 100),
  ...timeouts('payments', 2, 200),
  buildLog({ service: 'payments', level: 'error', message: 'ledger write failed: deadlock detected' }),
  buildLog({ service: 'checkout', level: 'info', message: 'order 77 placed' }),
  buildLog({ service: 'search', level: 'error', message: 'upstream timed out after 9 s for request 1' }),
];

describe.skipIf(skipReason())('alert rules list and editor (Chromium, PostgreSQL, stand-in)', () => {
  let s: Stack;
  let editor: string;
  let viewer: string;
  let channelId: string;
  let ruleId: string;

  beforeAll(async () => {
    s = await startStack();
    const ch = await s.api<{ id: string }>('POST', '/api/v1/channels', { name: 'Ops webhook', type: 'webhook', config: { url: 'https://hooks.example.com/logsage' } });
    expect(ch.status, JSON.stringify(ch.body)).toBe(201);
    channelId = ch.body.id;
    const e = await s.createUser('editor');
    const v = await s.createUser('viewer');
    editor = await s.login(e.username, e.password);
    viewer = await s.login(v.username, v.password);
    await s.ingest(TRAFFIC);
    await analysed(s, TRAFFIC.length);
  });
  afterAll(async () => {
    await s?.stop();
  });
  const { open } = useBrowser(() => s.baseUrl);

  const rules = async (): Promise<ApiRule[]> => (await s.api<{ rules: ApiRule[] }>('GET', '/api/v1/rules')).body.rules;
  const row = (page: Page, id: string) => page.locator(`[data-test="rule-row"][data-id="${id}"]`);

  /** Fills the editor with ENTERED (the channel picked by its name). */
  async function fill(page: Page): Promise<void> {
    await page.locator('[data-test="rule-name"]').fill(ENTERED.name);
    await page.locator('[data-test="rule-description"]').fill(ENTERED.description);
    await choose(page, 'rule-min-severity', /^high or higher$/);
    await page.locator('[data-test="rule-anomaly"] [data-value="only"]').click();
    await page.locator('[data-test="rule-services"]').click();
    for (const name of ENTERED.conditions.services) await page.locator('.el-select-dropdown__item:visible', { hasText: new RegExp(`^${name}$`) }).click();
    await page.keyboard.press('Escape');
    await page.locator('[data-test="rule-levels"] [data-value="error"]').click();
    await page.locator('[data-test="rule-text-contains"]').fill(ENTERED.conditions.text_contains);
    await page.locator('[data-test="rule-threshold-count"] input').fill('2');
    await page.locator('[data-test="rule-threshold-window"] input').fill('10');
    await page.locator('[data-test="rule-threshold-window"] input').press('Tab');
    await page.locator('[data-test="rule-group-by"] [data-value="severity"]').click();
    await page.locator('[data-test="rule-group-wait-mode"] [data-value="custom"]').click();
    await page.locator('[data-test="rule-group-wait-amount"] input').fill('0');
    await page.locator('[data-test="rule-group-wait-amount"] input').press('Tab');
    await page.locator('[data-test="rule-repeat-interval-mode"] [data-value="custom"]').click();
    await page.locator('[data-test="rule-repeat-interval-amount"] input').fill('2');
    await page.locator('[data-test="rule-repeat-interval-amount"] input').press('Tab');
    await choose(page, 'rule-repeat-interval-unit', /^h$/);
    await page.locator('[data-test="rule-channels"]').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: 'Ops webhook' }).click();
    await page.keyboard.press('Escape');
  }

  it('an editor builds a rule, previews it (the API\'s preview agrees), saves it and finds it in the list as entered', async () => {
    const { page } = await open({ session: editor });
    await page.goto('/rules');
    await page.locator('[data-test="rules-empty"]').waitFor();
    await screenshot(page, 'rules-empty-en');
    await page.locator('[data-test="rules-empty-new"]').click();
    await page.waitForURL((u) => u.pathname === '/rules/new');
    await page.locator('[data-test="rule-form"]').waitFor();
    await screenshot(page, 'rule-new-en');

    await fill(page);
    await screenshot(page, 'rule-filled-en');
    const sent = page.waitForRequest((r) => r.url().endsWith('/api/v1/rules/preview'));
    await page.locator('[data-test="rule-preview"]').click();
    const body = (await sent).postDataJSON() as Record<string, unknown>;
    expect(body).toEqual({ ...ENTERED, channel_ids: [channelId] });
    const result = page.locator('[data-test="rule-preview-result"]');
    await result.waitFor();
    const api = await s.api<Preview>('POST', '/api/v1/rules/preview', body);
    expect(api.status).toBe(200);
    // checkout and payments each reach 2 timeouts within 10 minutes: one alert per group.
    expect(api.body).toMatchObject({ matched: 6, alerts: 2 });
    expect(Number(await result.getAttribute('data-alerts'))).toBe(api.body.alerts);
    expect(Number(await result.getAttribute('data-matched'))).toBe(api.body.matched);
    expect(await page.locator('[data-test="rule-preview-headline"]').textContent()).toBe('Would have fired 2 times in the last 24 h');
    expect(await attrs(page.locator('[data-test="rule-preview-group"]'), 'data-matches')).toEqual(api.body.groups.map((g) => String(g.matches)));
    await screenshot(page, 'rule-preview-en');

    await page.locator('[data-test="rule-save"]').click();
    await page.waitForURL((u) => /^\/rules\/[0-9a-f-]{36}$/.test(u.pathname));
    ruleId = new URL(page.url()).pathname.split('/').pop()!;
    const stored = await s.api<ApiRule>('GET', `/api/v1/rules/${ruleId}`);
    const { id: _id, created_at: _c, updated_at: _u, ...fields } = stored.body;
    expect(fields).toEqual({ ...ENTERED, channel_ids: [channelId] });
    await page.locator('[data-test="rule-dirty"]').waitFor({ state: 'detached' });

    // A change sends only itself; back to the server's default is null again (not 0).
    await page.locator('[data-test="rule-repeat-interval-mode"] [data-value="default"]').click();
    const patched = page.waitForRequest((r) => r.method() === 'PATCH');
    await page.locator('[data-test="rule-save"]').click();
    expect((await patched).postDataJSON()).toEqual({ repeat_interval_seconds: null });
    await expect.poll(async () => (await s.api<ApiRule>('GET', `/api/v1/rules/${ruleId}`)).body.repeat_interval_seconds).toBeNull();
    await page.locator('[data-test="rule-dirty"]').waitFor({ state: 'detached' });

    // New matching logs make it fire; the list says when, and links to its alerts.
    await s.ingest(timeouts('checkout', 2, 300));
    const alert = await until(async () => (await s.api<{ alerts: { id: string }[] }>('GET', `/api/v1/alerts?rule=${ruleId}`)).body.alerts[0], 'the new rule\'s alert', 45_000);
    await page.locator('[data-test="rule-back"]').click();
    const r = row(page, ruleId);
    await r.waitFor();
    expect(await r.locator('[data-test="rule-row-summary"]').textContent()).toBe(
      'high or higher · anomalies only · service checkout, payments · level error · text contains “timed out” (any case)',
    );
    expect(await r.locator('[data-test="rule-row-threshold"]').textContent()).toContain('2 in 10 min');
    expect(await r.locator('[data-test="rule-row-channels"]').textContent()).toContain('Ops webhook');
    await expect.poll(() => r.locator('[data-test="rule-row-last-fired"]').getAttribute('data-state')).toBe('firing');
    await screenshot(page, 'rules-list-en');
    await r.locator('[data-test="rule-row-alerts"]').click();
    await page.waitForURL((u) => u.pathname === '/alerts' && u.searchParams.get('rule') === ruleId);
    await page.locator(`[data-test="alert-row"][data-id="${alert.id}"]`).waitFor();
    expect(await page.locator('[data-test="alerts-rule"]').textContent()).toContain(ENTERED.name);
  });

  it('shows the server\'s reason for a refused regular expression (a backreference: not RE2) under its field, saves nothing, and asks before leaving', async () => {
    const { page, allow } = await open({ session: editor });
    allow(/status of 400/); // the refused save, shown under the field
    const before = (await rules()).length;
    await page.goto('/rules/new');
    await page.locator('[data-test="rule-name"]').fill('Backreference');
    await page.locator('[data-test="rule-text-regex"]').fill('(a)\\1');
    await page.locator('[data-test="rule-save"]').click();
    const shown = page.locator('[data-test="rule-field-error"][data-field="conditions.text_regex"]');
    await shown.waitFor();
    const refused = await s.api<{ error: { details: { field: string; reason: string }[] } }>('POST', '/api/v1/rules', { name: 'x', conditions: { text_regex: '(a)\\1' } });
    expect(refused.status).toBe(400);
    expect(await shown.textContent()).toBe(refused.body.error.details.find((d) => d.field === 'conditions.text_regex')?.reason);
    expect(await shown.textContent()).toContain('backreferences');
    expect(page.url()).toMatch(/\/rules\/new$/);
    expect((await rules()).length).toBe(before);
    await screenshot(page, 'rule-error-en');

    // Unsaved edits: leaving asks (an in-page box, never a native dialog); "Stay" stays.
    await page.locator('[data-nav="alerts"]').click();
    const box = page.locator('.ls-rule-leave-box');
    await box.waitFor();
    await box.locator('button', { hasText: 'Stay' }).click();
    await box.waitFor({ state: 'hidden' });
    expect(new URL(page.url()).pathname).toBe('/rules/new');
    await page.locator('[data-nav="alerts"]').click();
    await box.locator('button', { hasText: 'Leave without saving' }).click();
    await page.waitForURL((u) => u.pathname === '/alerts');
  });

  it('turns a rule off and on from the list, and deletes one after confirmation', async () => {
    const extra = await s.api<ApiRule>('POST', '/api/v1/rules', { name: 'Zz temporary', conditions: { min_severity: 'critical' } });
    const { page } = await open({ session: editor });
    await page.goto('/rules');
    const r = row(page, ruleId);
    await r.waitFor();
    await r.locator('[data-test="rule-row-enabled"]').click();
    await expect.poll(() => r.getAttribute('data-enabled')).toBe('false');
    await expect.poll(async () => (await s.api<ApiRule>('GET', `/api/v1/rules/${ruleId}`)).body.enabled).toBe(false);
    await r.locator('[data-test="rule-row-enabled"]').click();
    await expect.poll(async () => (await s.api<ApiRule>('GET', `/api/v1/rules/${ruleId}`)).body.enabled).toBe(true);

    const gone = row(page, extra.body.id);
    const box = page.locator('.ls-rule-delete-box');
    await gone.locator('[data-test="rule-row-delete"]').click();
    await box.waitFor();
    expect(await box.textContent()).toContain('Zz temporary');
    await box.locator('button', { hasText: 'Cancel' }).click();
    await box.waitFor({ state: 'hidden' });
    expect((await s.api('GET', `/api/v1/rules/${extra.body.id}`)).status).toBe(200);
    await gone.locator('[data-test="rule-row-delete"]').click();
    await box.locator('button', { hasText: 'Delete' }).click();
    await gone.waitFor({ state: 'detached' });
    expect((await s.api('GET', `/api/v1/rules/${extra.body.id}`)).status).toBe(404);
    expect(await row(page, ruleId).count()).toBe(1);
  });

  it('gives a viewer no edit control on the list or in the editor', async () => {
    const { page } = await open({ session: viewer });
    await page.goto('/rules');
    await row(page, ruleId).waitFor();
    expect(await page.locator('[data-test="rule-row-state"]').count()).toBe(1);
    expect(await page.locator('[data-test="rule-row-enabled"], [data-test="rule-row-delete"], [data-test="rule-row-edit"], [data-test="rules-new"]').count()).toBe(0);
    await screenshot(page, 'rules-viewer-en');
    await row(page, ruleId).locator('[data-test="rule-row-name"]').click();
    await page.locator('[data-test="rule-readonly"]').waitFor();
    expect(await page.locator('[data-test="rule-name"]').inputValue()).toBe(ENTERED.name);
    expect(await page.locator('[data-test="rule-save"], [data-test="rule-delete"], [data-test="rule-actions"]').count()).toBe(0);
    const enabled = await page.locator('[data-test="rule-form"] input, [data-test="rule-form"] textarea').evaluateAll(
      (els: { disabled: boolean; outerHTML: string }[]) => els.filter((e) => !e.disabled).map((e) => e.outerHTML.slice(0, 120)),
    );
    expect(enabled).toEqual([]);
    // The preview reads only: a viewer may still ask it.
    await page.locator('[data-test="rule-preview"]').click();
    await page.locator('[data-test="rule-preview-result"]').waitFor();
    await screenshot(page, 'rule-viewer-en');
  });

  it('reads in Chinese: list, new rule, preview and a field error', async () => {
    const { page, allow } = await open({ session: editor, locale: 'zh-CN' });
    allow(/status of 400/);
    await page.goto('/rules');
    await row(page, ruleId).waitFor();
    expect(await page.locator('h1').textContent()).toContain('告警规则');
    expect(await row(page, ruleId).locator('[data-test="rule-row-summary"]').textContent()).toContain('高及以上');
    await screenshot(page, 'rules-list-zh');
    await page.locator('[data-test="rules-new"]').click();
    await page.locator('[data-test="rule-form"]').waitFor();
    await screenshot(page, 'rule-new-zh');
    await page.locator('[data-test="rule-name"]').fill('支付超时');
    await choose(page, 'rule-min-severity', /^高及以上$/);
    await page.locator('[data-test="rule-text-contains"]').fill('timed out');
    await screenshot(page, 'rule-filled-zh');
    await page.locator('[data-test="rule-preview"]').click();
    await page.locator('[data-test="rule-preview-result"]').waitFor();
    expect(await page.locator('[data-test="rule-preview-headline"]').textContent()).toMatch(/^过去 24 小时内会触发 \d+ 次$/);
    await screenshot(page, 'rule-preview-zh');
    await page.locator('[data-test="rule-text-regex"]').fill('(a)\\1');
    await page.locator('[data-test="rule-save"]').click();
    await page.locator('[data-test="rule-field-error"][data-field="conditions.text_regex"]').waitFor();
    await screenshot(page, 'rule-error-zh');
  });
});
