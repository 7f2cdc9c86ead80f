// Channels and silences in real Chromium: an editor makes a signed DingTalk robot and a signed
// webhook in the forms, test-sends each to local receivers that check the signatures as the
// providers do, sees failures and the secret asked again after a new URL; no secret ever reaches the
// page or an API answer. Deliveries (sent, parked, retried), silences made and expired in the UI, and
// a viewer who gets no controls.
import { randomBytes } from 'node:crypto';
import type { Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpReceiver, type HttpReceiver } from '../../server/test/receivers/http.js';
import { verifyDingTalk, verifyWebhook } from '../../server/test/receivers/verify.js';
import { choose, screenshot, skipReason, useBrowser } from './browser.js';
import { buildLog } from './data.js';
import { startStack, until, type Stack } from './stack.js';

const hex = (n: number): string => randomBytes(n).toString('hex');
const DING_SECRET = `SEC${hex(24)}`;
const DING_TOKEN = `tok${hex(16)}`;
const HOOK_SECRET = `whsec-${hex(16)}`;
const HEADER_SECRET = `hdr-${hex(16)}`;
const SECRETS = [DING_SECRET, DING_TOKEN, HOOK_SECRET, HEADER_SECRET];

/** The native input (or textarea) an Element Plus field with this data-test renders. */
const input = (page: Page, test: string) => page.locator(`input[data-test="${test}"], textarea[data-test="${test}"], [data-test="${test}"] input`).first();
const row = (page: Page, name: string) => page.locator('.el-table__row', { has: page.locator(`[data-test="channel-row"][data-name="${name}"]`) });

describe.skipIf(skipReason())('channels and silences (Chromium, signed receivers)', () => {
  let s: Stack;
  let editor: string;
  let viewer: string;
  let robot: HttpReceiver;
  let hook: HttpReceiver;
  /** Every API answer body the editor's pages received. */
  const bodies: string[] = [];

  beforeAll(async () => {
    [s, robot, hook] = await Promise.all([startStack({ OUTBOUND_ALLOW: '127.0.0.1' }), startHttpReceiver(), startHttpReceiver()]);
    const [e, v] = [await s.createUser('editor'), await s.createUser('viewer')];
    [editor, viewer] = [await s.login(e.username, e.password), await s.login(v.username, v.password)];
  });
  afterAll(async () => {
    await Promise.all([robot?.close(), hook?.close()]);
    await s?.stop();
  });
  const { open } = useBrowser(() => s.baseUrl);

  async function asEditor(path: string, locale = 'en-US'): Promise<Page> {
    const { page } = await open({ session: editor, locale });
    page.on('response', (r: Response) => {
      if (new URL(r.url()).pathname.startsWith('/api/')) void r.text().then((b) => bodies.push(b), () => undefined);
    });
    await page.goto(path);
    return page;
  }
  async function expectNoSecretShown(page: Page): Promise<void> {
    const text = await page.evaluate<string>('document.body.innerText');
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  }
  async function testSend(page: Page, name: string): Promise<{ ok: string | null; text: string }> {
    await row(page, name).locator('[data-test="channel-test"]').click();
    const result = row(page, name).locator('[data-test="channel-test-result"]:not([data-ok="running"])');
    await result.waitFor();
    return { ok: await result.getAttribute('data-ok'), text: (await result.textContent()) ?? '' };
  }

  it('creates a signed DingTalk robot in the form; the test send arrives correctly signed and the list shows ok and the status', async () => {
    const page = await asEditor('/channels');
    await page.locator('[data-test="channel-new"]').click();
    await choose(page, 'channel-type', 'DingTalk');
    await input(page, 'channel-name').fill('SRE 值班群');
    await input(page, 'channel-url').fill(`${robot.url}/robot/send?access_token=${DING_TOKEN}`);
    await input(page, 'channel-secret').fill(DING_SECRET);
    await input(page, 'channel-at-mobiles').fill('13800000000');
    await input(page, 'channel-at-mobiles').press('Enter');
    await page.locator('[data-test="channel-save"]').click();
    await row(page, 'SRE 值班群').waitFor();
    expect(await row(page, 'SRE 值班群').locator('[data-test="channel-destination"]').textContent()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/••••/);

    const before = Date.now();
    const r = await testSend(page, 'SRE 值班群');
    expect(r).toMatchObject({ ok: 'true' });
    expect(r.text).toContain('200');
    const got = robot.requests.at(-1)!;
    expect(got.path).toBe('/robot/send');
    expect(got.query.get('access_token')).toBe(DING_TOKEN);
    expect(await verifyDingTalk(got, DING_SECRET, before)).toBe(true);
    expect(JSON.parse(got.body)).toMatchObject({ msgtype: 'markdown', at: { atMobiles: ['13800000000'] } });
    await expectNoSecretShown(page);
    await screenshot(page, 'channels-list-en');
  });

  it('creates a webhook with an HMAC secret and a header; a 500 shows as a failure; a new URL asks for the secrets again', async () => {
    const page = await asEditor('/channels');
    await page.locator('[data-test="channel-new"]').click();
    await choose(page, 'channel-type', 'Webhook');
    await input(page, 'channel-name').fill('Ops webhook');
    await input(page, 'channel-url').fill(`${hook.url}/logsage`);
    await input(page, 'channel-secret').fill(HOOK_SECRET);
    await page.locator('[data-test="channel-header-add"]').click();
    await input(page, 'channel-header-key').fill('X-Team-Token');
    await input(page, 'channel-header-value').fill(HEADER_SECRET);
    await page.locator('[data-test="channel-save"]').click();
    await row(page, 'Ops webhook').waitFor();

    const ok = await testSend(page, 'Ops webhook');
    expect(ok.ok).toBe('true');
    const got = hook.requests.at(-1)!;
    expect(await verifyWebhook(got, HOOK_SECRET)).toBe(true);
    expect(got.headers['x-team-token']).toBe(HEADER_SECRET);
    expect(JSON.parse(got.body)).toMatchObject({ version: 1, event: 'test' });

    hook.handler = () => ({ status: 500, body: 'upstream exploded' });
    const failed = await testSend(page, 'Ops webhook');
    expect(failed.ok).toBe('false');
    expect(failed.text).toContain('500');
    expect(failed.text).not.toContain('upstream exploded'); // the remote body is never shown
    hook.handler = () => ({});
    await screenshot(page, 'channels-test-failed-en');

    // Edit: the stored secrets are kept (masked) until the URL changes; then both must be typed again.
    await row(page, 'Ops webhook').locator('[data-test="channel-edit"]').click();
    const secretField = page.locator('[data-test="channel-secret-field"]');
    expect(await secretField.getAttribute('data-state')).toBe('kept');
    await input(page, 'channel-url').fill(`${robot.url}/moved`);
    expect(await secretField.getAttribute('data-state')).toBe('reentry');
    await page.locator('[data-test="channel-secret-reentry"]').waitFor();
    const patches: string[] = [];
    page.on('request', (q) => void (q.method() === 'PATCH' && patches.push(q.url())));
    await page.locator('[data-test="channel-save"]').click();
    await page.locator('[data-field="channel-secret"] .el-form-item__error').waitFor();
    expect(await page.locator('[data-test="channel-header-row"] .el-form-item__error').count()).toBe(1);
    expect(patches).toEqual([]);
    await screenshot(page, 'channels-edit-reentry-en');
    await input(page, 'channel-secret').fill(HOOK_SECRET);
    await input(page, 'channel-header-value').fill(HEADER_SECRET);
    await page.locator('[data-test="channel-save"]').click();
    await page.locator('[data-test="channel-dialog"]').waitFor({ state: 'hidden' });
    expect(patches).toHaveLength(1);
    const moved = await testSend(page, 'Ops webhook');
    expect(moved.ok).toBe('true');
    const last = robot.requests.at(-1)!;
    expect(last.path).toBe('/moved');
    expect(await verifyWebhook(last, HOOK_SECRET)).toBe(true);
    await expectNoSecretShown(page);
  });

  it('lists deliveries: sent and parked ones; an editor retries a parked one', async () => {
    const refuse = await startHttpReceiver(() => ({ status: 400 }));
    try {
      const ch = await s.api<{ id: string }>('POST', '/api/v1/channels', { name: 'Refusing hook', type: 'webhook', config: { url: `${refuse.url}/x` } });
      const list = await s.api<{ channels: { id: string; name: string }[] }>('GET', '/api/v1/channels');
      const ding = list.body.channels.find((c) => c.name === 'SRE 值班群')!;
      const rule = await s.api('POST', '/api/v1/rules', { name: 'Checkout errors', conditions: { min_severity: 'high', services: ['checkout'] }, group_wait_seconds: 0, channel_ids: [ch.body.id, ding.id] });
      expect(rule.status, JSON.stringify(rule.body)).toBe(201);
      await s.ingest([buildLog({ service: 'checkout', level: 'error', message: 'payment provider refused the charge for order 1001' })]);
      await until(async () => {
        const r = await s.api<{ notifications: { state: string }[] }>('GET', `/api/v1/notifications?channel_id=${ch.body.id}&state=parked`);
        return r.body.notifications.length > 0;
      }, 'a parked notification', 60_000);

      const page = await asEditor(`/channels?tab=deliveries&channel=${ch.body.id}&state=parked`);
      const parked = page.locator('[data-test="delivery-row"][data-state="parked"]');
      await parked.first().waitFor();
      expect(await page.locator('.el-table__row [data-test="delivery-status"]').first().textContent()).toContain('400');
      await screenshot(page, 'channels-deliveries-parked-en');
      refuse.handler = () => ({});
      await page.locator('[data-test="delivery-retry"]').first().click();
      await page.locator('[data-test="delivery-row"]:not([data-state="parked"])').first().waitFor();
      await page.goto('/channels?tab=deliveries');
      await page.locator('[data-test="delivery-row"][data-state="sent"]').first().waitFor();
      await page.locator('[data-test="delivery-alert"]').first().waitFor();
      expect(await page.locator('[data-test="delivery-alert"]').first().getAttribute('href')).toMatch(/^\/alerts\/\d+$/);
      await screenshot(page, 'channels-deliveries-en');
    } finally {
      await refuse.close();
    }
  });

  it('creates a silence with a preset, lists it as active (also in the API), and expires it after confirming', async () => {
    const page = await asEditor('/silences');
    await page.locator('[data-test="silence-new"]').click();
    await input(page, 'silence-matcher-value').fill('payment-api');
    await page.locator('[data-test="silence-matcher-add"]').click();
    const second = page.locator('[data-test="silence-matcher-row"][data-index="1"]');
    await second.locator('[data-test="silence-matcher-label"]').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: /^severity$/ }).click();
    await second.locator('[data-test="silence-matcher-op"]').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '=~' }).first().click();
    await second.locator('input[data-test="silence-matcher-value"]').fill('critical|high');
    await page.locator('[data-test="silence-preset"] [data-preset="custom"]').click();
    await page.locator('[data-test="silence-amount"]').waitFor();
    await screenshot(page, 'silences-create-custom-en');
    await page.locator('[data-test="silence-preset"] [data-preset="240"]').click();
    await input(page, 'silence-comment').fill('payment-api deploy');
    await screenshot(page, 'silences-create-en');
    await page.locator('[data-test="silence-save"]').click();
    const created = page.locator('[data-test="silence-row"][data-state="active"]');
    await created.waitFor();
    const matchers = await page.locator('[data-test="silence-matcher"]').allTextContents();
    expect(matchers).toEqual(['service="payment-api"', 'severity=~"critical|high"']);
    const api = await s.api<{ silences: { id: string; state: string; comment: string; ends_at: string; starts_at: string }[] }>('GET', '/api/v1/silences');
    const sil = api.body.silences.find((x) => x.comment === 'payment-api deploy')!;
    expect(sil.state).toBe('active');
    expect(Date.parse(sil.ends_at) - Date.parse(sil.starts_at)).toBe(240 * 60_000);
    await screenshot(page, 'silences-list-en');

    await page.locator(`.el-table__row:has([data-test="silence-row"][data-id="${sil.id}"]) [data-test="silence-expire"]`).click();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await expect.poll(async () => (await s.api<{ silences: unknown[] }>('GET', '/api/v1/silences')).body.silences.length).toBe(0);
    await page.locator('[data-test="silences-tab"]').getByText('Expired').click();
    await page.locator(`[data-test="silence-row"][data-id="${sil.id}"][data-state="expired"]`).waitFor();
    expect(await page.locator('[data-test="silence-expire"]').count()).toBe(0);
  });

  it('shows a viewer both lists without any control', async () => {
    const { page } = await open({ session: viewer, locale: 'zh-CN' });
    await page.goto('/channels');
    await row(page, 'Ops webhook').waitFor();
    await screenshot(page, 'channels-list-viewer-zh');
    const controls = '[data-test="channel-new"], [data-test="channel-edit"], [data-test="channel-test"], [data-test="channel-delete"], [data-test="channel-enabled"]';
    expect(await page.locator(controls).count()).toBe(0);
    await page.goto('/channels?tab=deliveries');
    await page.locator('[data-test="delivery-row"]').first().waitFor();
    expect(await page.locator('[data-test="delivery-retry"]').count()).toBe(0);
    await page.goto('/silences?tab=expired');
    await page.locator('[data-test="silence-row"]').first().waitFor();
    expect(await page.locator('[data-test="silence-new"], [data-test="silence-expire"]').count()).toBe(0);
    await screenshot(page, 'silences-expired-viewer-zh');
  });

  it('shows each type’s form in English and Chinese; the secrets never reached an API answer', async () => {
    for (const [locale, tag] of [['en-US', 'en'], ['zh-CN', 'zh']] as const) {
      const page = await asEditor('/channels', locale);
      await page.locator('[data-test="channel-new"]').click();
      for (const type of ['dingtalk', 'wecom', 'feishu', 'email', 'slack', 'webhook']) {
        await page.locator('[data-test="channel-type"]').click();
        await page.locator(`.el-select-dropdown__item:visible [data-type="${type}"]`).click();
        await page.locator(`[data-test="channel-dialog"] form[data-type="${type}"]`).waitFor();
        await screenshot(page, `channels-form-${type}-${tag}`);
      }
    }
    expect(bodies.length).toBeGreaterThan(10);
    for (const b of bodies) for (const secret of SECRETS) expect(b).not.toContain(secret);
  });
});
