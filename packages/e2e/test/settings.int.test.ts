// Settings in real Chromium: an API key made in the UI works against the real API with exactly its
// scope and stops working once revoked in the UI; an editor made in the UI sees no admin tabs and
// is refused by the API; role changes and disabling show in the audit log under the admin's name;
// the LLM tab shows the stand-in's model and the 14-day usage chart. Every tab is photographed.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choose, screenshot, signIn, skipReason, useBrowser } from './browser.js';
import { analysed, attrs, buildLog } from './data.js';
import { MODEL, SESSION_COOKIE, startStack, until, type Stack } from './stack.js';

const EDITOR = { username: 'ed.ui', password: 'editor-pass-1234' };
const TABS = ['llm', 'keys', 'users', 'audit', 'preferences'] as const;

/** Confirms the Element Plus message box that is open. */
async function confirmBox(page: Page): Promise<void> {
  const ok = page.locator('.el-message-box__btns .el-button--primary');
  await ok.waitFor();
  await ok.click();
  await page.locator('.el-message-box').waitFor({ state: 'hidden' });
}

const userRow = (page: Page, name: string) => page.locator('.el-table__row', { has: page.locator(`[data-test="user-row"][data-username="${name}"]`) });

describe.skipIf(skipReason())('settings (Chromium, PostgreSQL, stand-in)', () => {
  let s: Stack;
  let admin: string;

  beforeAll(async () => {
    s = await startStack();
    admin = await s.login('admin', s.adminPassword);
    await s.ingest([
      buildLog({ service: 'checkout', level: 'error', message: 'payment provider refused the charge' }),
      buildLog({ service: 'web', level: 'warn', message: 'slow upstream response 2300 ms' }),
      buildLog({ service: 'web', level: 'info', message: 'request served' }),
    ]);
    await analysed(s, 3);
  });
  afterAll(async () => {
    await s?.stop();
  });
  const { open } = useBrowser(() => s.baseUrl);
  const bearer = (key: string, method: string, body?: unknown) =>
    fetch(`${s.baseUrl}/api/v1/logs${method === 'GET' ? '?limit=5' : ''}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    });

  it('creates a read key in the UI that reads but cannot ingest, and revoking it in the UI shuts it out', async () => {
    const { page, context } = await open({ session: admin, viewport: { width: 1440, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: s.baseUrl });
    await page.goto('/settings/keys');
    await page.locator('[data-test="key-create"]').click();
    await page.locator('input[data-test="key-name"]').fill('grafana reader');
    await page.locator('[data-test="key-scopes"] [data-scope="ingest"]').click(); // on by default
    await page.locator('[data-test="key-scopes"] [data-scope="read"]').click();
    await screenshot(page, 'settings-key-form-en');
    await page.locator('[data-test="key-submit"]').click();
    const shown = page.locator('[data-test="key-created-key"]');
    await shown.waitFor();
    const key = (await shown.textContent())?.trim() ?? '';
    expect(key.length).toBeGreaterThan(20);
    expect(await page.locator('[data-test="key-created-warning"]').textContent()).toMatch(/only this once/);
    expect(await page.locator('[data-test="key-created-curl"]').textContent()).toBe(`curl -H 'Authorization: Bearer ${key}' '${s.baseUrl}/api/v1/logs?limit=5'`);
    await page.locator('[data-test="key-copy"]').click();
    await page.locator('.el-message--success').waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(key);
    await screenshot(page, 'settings-key-created-en');

    expect((await bearer(key, 'GET')).status).toBe(200);
    expect((await bearer(key, 'POST', [buildLog()])).status).toBe(403);

    await page.locator('[data-test="key-created-done"]').click();
    const row = page.locator('[data-test="key-row"][data-name="grafana reader"]');
    expect(await row.getAttribute('data-revoked')).toBe('false');
    await page.locator('.el-table__row', { has: row }).locator('[data-test="key-revoke"]').click();
    await confirmBox(page);
    await page.locator('[data-test="key-row"][data-name="grafana reader"][data-revoked="true"]').waitFor();
    await until(async () => (await bearer(key, 'GET')).status === 401, 'the revoked key to be refused', 10_000);
  });

  it('creates an editor in the UI who sees no admin tabs and whom the API refuses the user list', async () => {
    const a = await open({ session: admin });
    await a.page.goto('/settings/users');
    await a.page.locator('[data-test="user-create"]').click();
    await a.page.locator('input[data-test="user-username"]').fill(EDITOR.username);
    await a.page.locator('input[data-test="user-password"]').fill('short');
    expect(await a.page.locator('.el-dialog .el-form-item__error').first().textContent()).toContain('At least 12 characters');
    await screenshot(a.page, 'settings-user-form-en');
    await a.page.locator('input[data-test="user-password"]').fill(EDITOR.password);
    await a.page.locator('[data-test="user-role"] [data-role="editor"]').click();
    await a.page.locator('[data-test="user-submit"]').click();
    await a.page.locator(`[data-test="user-row"][data-username="${EDITOR.username}"][data-role="editor"]`).waitFor();
    expect(await userRow(a.page, 'admin').locator('[data-test="user-you"]').count()).toBe(1);

    const { page, context, allow } = await open();
    allow(/status of 401/); // the signed-out "who am I" before the sign-in form
    await page.goto('/settings/users');
    await page.waitForURL((u) => u.pathname === '/login');
    await signIn(page, EDITOR.username, EDITOR.password);
    await page.waitForURL((u) => u.pathname === '/settings/users');
    await page.locator('[data-test="settings-needs-admin"]').waitFor();
    expect(await attrs(page.locator('[data-test="settings-tabs"] .el-tabs__item'), 'id')).toEqual(['tab-llm', 'tab-preferences']);
    await screenshot(page, 'settings-needs-admin-en');
    const cookie = (await context.cookies()).find((c) => c.name === SESSION_COOKIE)?.value;
    expect(cookie).toBeTruthy();
    const refused = await fetch(`${s.baseUrl}/api/v1/users`, { headers: { cookie: `${SESSION_COOKIE}=${cookie}` } });
    expect(refused.status).toBe(403);
  });

  it('changes a role and disables a user in the UI, keeps the last admin, and the audit log names the admin', async () => {
    const { page, allow } = await open({ session: admin });
    allow(/status of 409/); // the refused demotion of the last admin, below
    await page.goto('/settings/users');
    const row = userRow(page, EDITOR.username);
    await row.locator('[data-test="user-role-select"]').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: 'viewer' }).click();
    await page.locator(`[data-test="user-row"][data-username="${EDITOR.username}"][data-role="viewer"]`).waitFor();
    await row.locator('[data-test="user-toggle"]').click();
    await confirmBox(page);
    await page.locator(`[data-test="user-row"][data-username="${EDITOR.username}"][data-disabled="true"]`).waitFor();

    // The only admin cannot demote itself: the server's 409 message stays on screen, the role stays.
    await userRow(page, 'admin').locator('[data-test="user-role-select"]').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: 'editor' }).click();
    await page.locator('[data-test="users-error"]').waitFor();
    expect(await page.locator('[data-test="users-error"]').textContent()).toContain('the last admin cannot be removed, demoted or disabled');
    await page.locator('[data-test="user-row"][data-username="admin"][data-role="admin"]').waitFor();

    await page.locator('#tab-audit').click();
    await page.waitForURL((u) => u.pathname === '/settings/audit');
    await page.locator('[data-test="audit-row"]').first().waitFor();
    const updates = page.locator('[data-test="audit-row"][data-action="user.update"][data-actor="admin"]');
    expect(await updates.count()).toBeGreaterThanOrEqual(2);
    expect(await updates.first().textContent()).toBe('User changed');
    expect(await page.locator('[data-test="audit-row"][data-action="user.create"][data-actor="admin"]').count()).toBe(1);
    expect(await page.locator('[data-test="audit-row"][data-action="api_key.revoke"]').count()).toBe(1);
    await page.locator('[data-test="audit-details-toggle"]').first().click();
    await page.locator('.ls-ad-json').first().waitFor();
    await screenshot(page, 'settings-audit-expanded-en');
    await choose(page, 'audit-action', '(user.create)');
    await expect.poll(async () => attrs(page.locator('[data-test="audit-row"]'), 'data-action')).toEqual(['user.create']);
    await page.goBack();
    await page.waitForURL((u) => u.pathname === '/settings/users');
    await page.locator('[data-test="settings-users"]').waitFor();
  });

  it('shows the stand-in model and 14 days of usage, and every tab in both languages at 1440 and 1366 wide', async () => {
    for (const locale of ['en', 'zh-CN'] as const) {
      const { page } = await open({ session: admin, locale });
      await page.goto('/settings');
      await page.waitForURL((u) => u.pathname === '/settings/llm');
      expect((await page.locator('[data-test="llm-model"]').textContent())?.trim()).toBe(MODEL);
      const chart = page.locator('[data-test="llm-usage"]');
      await chart.locator('canvas').waitFor();
      expect(await chart.getAttribute('data-days')).toBe('14');
      expect(Number(await chart.getAttribute('data-calls'))).toBeGreaterThan(0);
      for (const tab of TABS) {
        if (tab !== 'llm') await page.locator(`#tab-${tab}`).click();
        await page.waitForURL((u) => u.pathname === `/settings/${tab}`);
        await page.locator(`[data-test="settings-${tab}"]`).waitFor();
        await page.locator(`[data-test="settings-${tab}"] [data-state="loading"]`).waitFor({ state: 'detached' });
        for (const width of [1440, 1366]) {
          await page.setViewportSize({ width, height: 860 });
          await screenshot(page, `settings-${tab}-${locale}-${width}`);
        }
      }
    }
  });
});
