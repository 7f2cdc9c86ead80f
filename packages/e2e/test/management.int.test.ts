// The operator's path through the management pages, in real Chromium on PostgreSQL: an editor makes a
// signed DingTalk robot and a rule in the UI, test-sends, and logs ingested through the API become an
// alert whose notification reaches the robot correctly signed; silenced from the alert page, the next
// matching log notifies no one. A viewer gets no edit controls and the API refuses the viewer's
// session; an admin makes a read key in the UI that works with curl. No secret reaches any page text
// or any API answer the pages receive.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import type { Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpReceiver, type HttpReceiver, type Received } from '../../server/test/receivers/http.js';
import { verifyDingTalk } from '../../server/test/receivers/verify.js';
import { choose, screenshot, skipReason, useBrowser } from './browser.js';
import { buildLog } from './data.js';
import { SESSION_COOKIE, startStack, until, type Stack } from './stack.js';

const run = promisify(execFile);
const hex = (n: number): string => randomBytes(n).toString('hex');
const SECRET = `SEC${hex(24)}`;
const TOKEN = `tok${hex(16)}`;
const SERVICE = 'checkout-e2e';
const CHANNEL = 'SRE on call';
const RULE = 'Checkout errors';

interface ApiAlert { id: string; count: number; state: string; silenced_by: string | null; history?: { event: string }[] }

describe.skipIf(skipReason())('managing alerting from the browser (Chromium, PostgreSQL, signed DingTalk receiver)', () => {
  let s: Stack;
  let robot: HttpReceiver;
  let editor: string;
  let viewer: string;
  let admin: string;
  let ruleId = '';
  let alertId = '';
  /** Every /api/ answer body any page of this file received. */
  const bodies: string[] = [];
  /** Robot requests that are alert notifications (the one test send comes first), in arrival order. */
  const notifications = (): Received[] => robot.requests.slice(1);

  beforeAll(async () => {
    [s, robot] = await Promise.all([startStack({ OUTBOUND_ALLOW: '127.0.0.1', ALERT_GROUP_INTERVAL_SECONDS: '1' }), startHttpReceiver()]);
    const [e, v] = [await s.createUser('editor'), await s.createUser('viewer')];
    [editor, viewer, admin] = [await s.login(e.username, e.password), await s.login(v.username, v.password), await s.login('admin', s.adminPassword)];
    // The service must exist for the rule form to offer it.
    await s.ingest([buildLog({ service: SERVICE, level: 'info', message: 'checkout started' })]);
  });
  afterAll(async () => {
    await robot?.close();
    await s?.stop();
  });
  const { open } = useBrowser(() => s.baseUrl);

  async function page(session: string, path: string): Promise<Page> {
    const tab = await open({ session, viewport: { width: 1440, height: 900 } });
    tab.page.on('response', (r: Response) => {
      if (new URL(r.url()).pathname.startsWith('/api/')) void r.text().then((b) => bodies.push(b), () => undefined);
    });
    await tab.page.goto(path);
    return tab.page;
  }
  const input = (p: Page, test: string) => p.locator(`input[data-test="${test}"], textarea[data-test="${test}"], [data-test="${test}"] input`).first();
  const getAlert = async (id: string): Promise<ApiAlert> => (await s.api<ApiAlert>('GET', `/api/v1/alerts/${id}`)).body;
  const ingestError = (n: number) => s.ingest([buildLog({ service: SERVICE, level: 'error', message: `payment gateway timed out for order ${n}` })]);

  it('an editor makes a signed DingTalk robot and a rule in the UI; the test send arrives signed', async () => {
    const p = await page(editor, '/channels');
    await p.locator('[data-test="channel-new"]').click();
    await choose(p, 'channel-type', 'DingTalk');
    await input(p, 'channel-name').fill(CHANNEL);
    await input(p, 'channel-url').fill(`${robot.url}/robot/send?access_token=${TOKEN}`);
    await input(p, 'channel-secret').fill(SECRET);
    await p.locator('[data-test="channel-save"]').click();
    const row = p.locator('.el-table__row', { has: p.locator(`[data-test="channel-row"][data-name="${CHANNEL}"]`) });
    await row.waitFor();
    const sentAt = Date.now();
    await row.locator('[data-test="channel-test"]').click();
    const result = row.locator('[data-test="channel-test-result"]:not([data-ok="running"])');
    await result.waitFor();
    expect(await result.getAttribute('data-ok')).toBe('true');
    expect(robot.requests).toHaveLength(1);
    expect(await verifyDingTalk(robot.requests[0]!, SECRET, sentAt)).toBe(true);
    await screenshot(p, 'management-channel-en');

    await p.goto('/rules/new');
    await p.locator('[data-test="rule-form"]').waitFor();
    await p.locator('[data-test="rule-name"]').fill(RULE);
    await p.locator('[data-test="rule-services"]').click();
    await p.locator('.el-select-dropdown__item:visible', { hasText: new RegExp(`^${SERVICE}$`) }).click();
    await p.keyboard.press('Escape');
    await p.locator('[data-test="rule-levels"] [data-value="error"]').click();
    await p.locator('[data-test="rule-channels"]').click();
    await p.locator('.el-select-dropdown__item:visible', { hasText: CHANNEL }).click();
    await p.keyboard.press('Escape');
    await p.locator('[data-test="rule-save"]').click();
    await p.waitForURL((u) => /^\/rules\/[0-9a-f-]{36}$/.test(u.pathname));
    ruleId = new URL(p.url()).pathname.split('/').pop()!;
    const channelId = (await s.api<{ channels: { id: string; name: string }[] }>('GET', '/api/v1/channels')).body.channels.find((c) => c.name === CHANNEL)!.id;
    const rule = (await s.api<{ name: string; conditions: unknown; channel_ids: string[] }>('GET', `/api/v1/rules/${ruleId}`)).body;
    expect(rule).toMatchObject({ name: RULE, conditions: { services: [SERVICE], levels: ['error'] }, channel_ids: [channelId] });
  });

  it('a matching log becomes an alert in the UI and a signed notification; a second one notifies again', async () => {
    expect(ruleId).not.toBe('');
    await ingestError(1);
    const first = await until(async () => notifications()[0], 'the first notification', 60_000);
    expect(await verifyDingTalk(first, SECRET, Date.now())).toBe(true);
    expect(first.query.get('access_token')).toBe(TOKEN);
    const alert = await until(async () => (await s.api<{ alerts: ApiAlert[] }>('GET', `/api/v1/alerts?rule=${ruleId}`)).body.alerts[0], 'the alert');
    alertId = alert.id;
    expect(first.body).toContain(RULE);

    // The control for the silence below: without one, a new matching log notifies again.
    await ingestError(2);
    await until(async () => notifications().length >= 2 || undefined, 'a second notification', 30_000);

    const p = await page(editor, '/alerts');
    await p.locator(`[data-test="alert-row"][data-id="${alertId}"]`).waitFor();
    await p.goto('/channels');
    await p.locator('[data-test="channels-tabs"] .el-tabs__item', { hasText: /Deliveries/ }).click();
    await p.locator('[data-test="delivery-row"][data-state="sent"]').first().waitFor();
    await screenshot(p, 'management-deliveries-en');
  });

  it('silenced from the alert page, the next matching log notifies no one', async () => {
    expect(alertId).not.toBe('');
    const p = await page(editor, `/alerts/${alertId}`);
    await p.locator('[data-test="alert-silence"]').click();
    await p.locator('[data-test="silence-dialog"]').waitFor();
    await p.locator('[data-test="silence-preset"] [data-preset="60"]').click();
    await p.locator('[data-test="silence-submit"]').click();
    await until(async () => (await getAlert(alertId)).silenced_by ?? undefined, 'the alert to be silenced');
    const before = notifications().length;
    const count = (await getAlert(alertId)).count;

    await ingestError(3);
    await until(async () => (await getAlert(alertId)).count > count || undefined, 'the third log to join the alert', 45_000);
    // Group interval 1 s, engine every second, delivery every 200 ms: an unsilenced round would be here by now.
    await new Promise((r) => setTimeout(r, 5000));
    expect(notifications()).toHaveLength(before);
    await p.goto('/silences');
    await p.locator('[data-test="silence-row"][data-state="active"]').first().waitFor();
    await screenshot(p, 'management-silences-en');
  });

  it('a viewer sees no edit controls, and the API refuses the viewer\'s session', async () => {
    const p = await page(viewer, '/rules');
    await p.locator(`[data-test="rule-row"][data-id="${ruleId}"]`).waitFor();
    const controls = '[data-test="rules-new"], [data-test="rule-row-edit"], [data-test="rule-row-delete"], [data-test="rule-row-enabled"]';
    expect(await p.locator(controls).count()).toBe(0);
    await p.goto(`/rules/${ruleId}`);
    await p.locator('[data-test="rule-readonly"]').waitFor();
    expect(await p.locator('[data-test="rule-save"], [data-test="rule-delete"]').count()).toBe(0);
    await p.goto('/channels');
    await p.locator('[data-test="channel-row"]').first().waitFor();
    expect(await p.locator('[data-test="channel-new"], [data-test="channel-edit"], [data-test="channel-test"], [data-test="channel-delete"]').count()).toBe(0);
    await p.goto('/silences');
    await p.locator('[data-test="silence-row"]').first().waitFor();
    expect(await p.locator('[data-test="silence-new"], [data-test="silence-expire"]').count()).toBe(0);
    await p.goto('/settings/llm');
    await p.locator('#tab-llm').waitFor();
    expect(await p.locator('#tab-keys, #tab-users, #tab-audit').count()).toBe(0);
    await screenshot(p, 'management-viewer-settings-en');

    const asViewer = { cookie: `${SESSION_COOKIE}=${viewer}`, origin: s.baseUrl };
    for (const [method, path, body] of [
      ['POST', '/api/v1/rules', { name: 'sneaky', conditions: {} }],
      ['PATCH', `/api/v1/rules/${ruleId}`, { enabled: false }],
      ['POST', '/api/v1/silences', { matchers: [{ name: 'service', value: SERVICE }], duration_minutes: 60 }],
      ['GET', '/api/v1/users', undefined],
    ] as const) {
      expect((await s.api(method, path, body, asViewer)).status, `${method} ${path}`).toBe(403);
    }
    expect((await s.api<{ enabled: boolean }>('GET', `/api/v1/rules/${ruleId}`)).body.enabled).toBe(true);
  });

  it('an admin makes a read key in the UI that works with curl', async () => {
    const p = await page(admin, '/settings/keys');
    await p.locator('[data-test="key-create"]').click();
    await p.locator('input[data-test="key-name"]').fill('curl reader');
    await p.locator('[data-test="key-scopes"] [data-scope="ingest"]').click();
    await p.locator('[data-test="key-scopes"] [data-scope="read"]').click();
    await p.locator('[data-test="key-submit"]').click();
    const key = ((await p.locator('[data-test="key-created-key"]').textContent()) ?? '').trim();
    const curl = async (...args: string[]) => (await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', ...args])).stdout;
    expect(await curl('-H', `Authorization: Bearer ${key}`, `${s.baseUrl}/api/v1/logs?service=${SERVICE}&limit=5`)).toBe('200');
    expect(await curl('-X', 'POST', '-H', `Authorization: Bearer ${key}`, '-H', 'content-type: application/json', '-d', '{"message":"x"}', `${s.baseUrl}/api/v1/logs`)).toBe('403');
    await p.locator('[data-test="key-created-done"]').click();
  });

  it('no secret appeared in any API answer the pages received', () => {
    expect(bodies.length).toBeGreaterThan(20);
    for (const b of bodies) for (const secret of [SECRET, TOKEN]) expect(b).not.toContain(secret);
  });
});
