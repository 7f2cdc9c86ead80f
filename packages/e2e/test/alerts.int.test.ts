// Alerts in real Chromium: a rule made through the API turns analysed error logs into alerts that
// show on /alerts and /alerts/:id (history, sample log, the group's logs); an admin acknowledges
// from the page, a viewer gets no action buttons.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, skipReason, useBrowser } from './browser.js';
import { apiLogs, attrs, buildLog } from './data.js';
import { startStack, until, type Stack } from './stack.js';

interface ApiAlert {
  id: string;
  rule_name: string;
  state: string;
  summary: string;
  count: number;
  labels: Record<string, string>;
  sample_log_id: string | null;
  acked_at: string | null;
  acked_by: string | null;
  history?: { event: string }[];
}

const RULE = 'Payment path errors';

describe.skipIf(skipReason())('alerts view (Chromium, PostgreSQL, stand-in, alert engine)', () => {
  let s: Stack;
  let admin: string;
  /** The alert of each service, as the API shows it once both logs of a service are counted. */
  const alerts: Record<string, ApiAlert> = {};
  const logIds: Record<string, string[]> = {};

  const getAlert = async (id: string): Promise<ApiAlert> => (await s.api<ApiAlert>('GET', `/api/v1/alerts/${id}`)).body;

  beforeAll(async () => {
    s = await startStack();
    admin = await s.login('admin', s.adminPassword);
    const rule = await s.api('POST', '/api/v1/rules', { name: RULE, conditions: { min_severity: 'high', services: ['checkout', 'payments'] }, group_wait_seconds: 0 });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    await s.ingest([
      buildLog({ service: 'checkout', level: 'error', message: 'payment provider refused the charge for order 1001' }),
      buildLog({ service: 'checkout', level: 'error', message: 'payment provider refused the charge for order 1002' }),
      buildLog({ service: 'payments', level: 'error', message: 'ledger write failed: deadlock detected' }),
      buildLog({ service: 'payments', level: 'info', message: 'ledger balanced for day' }),
    ]);
    for (const service of ['checkout', 'payments']) {
      const want = service === 'checkout' ? 2 : 1;
      alerts[service] = await until(async () => {
        const r = await s.api<{ alerts: ApiAlert[] }>('GET', `/api/v1/alerts?state=firing&service=${service}`);
        const a = r.body.alerts[0];
        return a && a.count >= want ? a : undefined;
      }, `the ${service} alert`, 45_000);
      logIds[service] = (await apiLogs(s, `service=${service}&level=error`)).map((l) => l.id);
    }
  });
  afterAll(async () => {
    await s?.stop();
  });
  const { open } = useBrowser(() => s.baseUrl);

  const card = (page: Page, id: string) => page.locator(`[data-test="alert-row"][data-id="${id}"]`);

  it('lists the firing alerts with their rule and summary, and a viewer gets no action buttons', async () => {
    const viewer = await s.createUser('viewer');
    const { page } = await open({ session: await s.login(viewer.username, viewer.password) });
    await page.goto('/alerts');
    for (const a of Object.values(alerts)) {
      const c = card(page, a.id);
      await c.waitFor();
      expect(await c.getAttribute('data-state')).toBe('firing');
      expect(await c.locator('[data-test="alert-link"]').textContent()).toContain(RULE);
      expect((await c.locator('[data-test="alert-summary"]').textContent())?.trim()).toBe(a.summary);
    }
    expect(await page.locator('[data-test="alert-row"]').count()).toBe(2);
    expect(await page.locator('[data-test="alert-actions"], [data-test="alert-ack"], [data-test="alert-silence"]').count()).toBe(0);
    await screenshot(page, 'alerts-viewer-en');

    await page.goto(`/alerts/${alerts.checkout?.id}`);
    await page.locator('[data-test="alert-header"]').waitFor();
    await page.locator('[data-test="alert-history"]').waitFor();
    expect(await page.locator('[data-test="alert-actions"], [data-test="alert-ack"], [data-test="alert-silence"]').count()).toBe(0);
    // The server agrees: a viewer may not acknowledge.
    const refused = await s.api('POST', `/api/v1/alerts/${alerts.checkout?.id}/ack`, {}, { cookie: `logsage_session=${await s.login(viewer.username, viewer.password)}`, origin: s.baseUrl });
    expect(refused.status).toBe(403);
  });

  it('shows one alert on /alerts/:id with its history, sample log and logs, and an admin acknowledges it there', async () => {
    const a = alerts.checkout!;
    const { page } = await open({ session: admin });
    await page.goto('/alerts');
    await card(page, a.id).locator('[data-test="alert-link"]').click();
    await page.waitForURL((u) => u.pathname === `/alerts/${a.id}`);
    const header = page.locator('[data-test="alert-header"]');
    await header.waitFor();
    expect(await header.getAttribute('data-state')).toBe('firing');
    expect(await page.locator('[data-test="alert-rule"]').textContent()).toContain(RULE);
    expect((await page.locator('[data-test="alert-analysis"] [data-test="alert-summary"]').textContent())?.trim()).toBe(a.summary);
    expect(await page.locator('[data-test="alert-labels"]').first().textContent()).toContain('checkout');
    await page.locator('[data-test="history-item"][data-event="firing"]').waitFor();
    // The sample log is one of the alert's logs, and the group's logs are exactly those the API lists.
    const sample = page.locator('[data-test="alert-sample-log"]');
    await sample.waitFor();
    expect(await sample.getAttribute('data-id')).toBe(a.sample_log_id);
    expect(logIds.checkout).toContain(a.sample_log_id);
    const logRows = page.locator('[data-test="alert-log-row"]');
    await expect.poll(async () => (await attrs(logRows, 'data-id')).sort()).toEqual([...(logIds.checkout ?? [])].sort());
    await screenshot(page, 'alert-page-en');

    await page.locator('[data-test="alert-ack"]').click();
    await page.locator('[data-test="alert-header"] [data-test="alert-acked"]').waitFor();
    expect(await page.locator('[data-test="alert-header"] [data-test="alert-acked"]').textContent()).toContain('admin');
    await page.locator('[data-test="history-item"][data-event="acked"]').waitFor();
    expect(await page.locator('[data-test="alert-ack"]').count()).toBe(0);
    const after = await getAlert(a.id);
    expect(after.acked_at).not.toBeNull();
    expect(after.acked_by).toBe('admin');
    expect(after.history?.map((h) => h.event)).toContain('acked');
  });

  it('lets an admin acknowledge from the list', async () => {
    const a = alerts.payments!;
    const { page } = await open({ session: admin });
    await page.goto('/alerts');
    const c = card(page, a.id);
    await c.waitFor();
    expect(await c.locator('[data-test="alert-acked"]').count()).toBe(0);
    await c.locator('[data-test="alert-ack"]').click();
    await c.locator('[data-test="alert-acked"]').waitFor();
    expect(await c.locator('[data-test="alert-ack"]').count()).toBe(0);
    // The other alert, acknowledged on its page before, shows so here too.
    await card(page, alerts.checkout!.id).locator('[data-test="alert-acked"]').waitFor();
    expect((await getAlert(a.id)).acked_by).toBe('admin');
    await screenshot(page, 'alerts-admin-en');
  });
});
