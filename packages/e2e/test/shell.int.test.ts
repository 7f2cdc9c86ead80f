// The dashboard's shell in real Chromium against a real server: signing in and out, the session
// ending under the user's feet, the language, and the CSP the server sends with the app.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choose, screenshot, signIn, skipReason, useBrowser } from './browser.js';
import { SESSION_COOKIE, startStack, type Stack } from './stack.js';

const UNAUTHORIZED = /status of 401/;

describe.skipIf(skipReason())('dashboard shell (Chromium, PostgreSQL, auth on)', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack();
  });
  afterAll(async () => {
    await s?.stop();
  });
  const { open } = useBrowser(() => s.baseUrl);

  it('sends the app with a strict Content-Security-Policy', async () => {
    for (const path of ['/', '/login', '/alerts/1']) {
      const res = await fetch(`${s.baseUrl}${path}`);
      expect(res.status, path).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("default-src 'self'");
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
      expect(csp, path).toContain("object-src 'none'");
      expect(csp, path).toContain("frame-ancestors 'none'");
    }
  });

  it('sends a signed-out visitor to login, refuses a wrong password, returns to the page, signs out', async () => {
    const { page, context, allow } = await open();
    allow(UNAUTHORIZED); // "who am I" while signed out, and the refused password
    await page.goto('/alerts');
    await page.waitForURL((u) => u.pathname === '/login');
    expect(new URL(page.url()).searchParams.get('redirect')).toBe('/alerts');
    await expect.poll(() => page.locator('[data-test="login-submit"]').isVisible()).toBe(true);
    expect(await page.locator('[data-test="expired"]').count(), 'a first visit is not an expired session').toBe(0);
    await screenshot(page, 'login-en');

    await signIn(page, 'admin', 'not-the-password');
    const error = page.locator('[data-test="login-error"]');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/invalid username or password/i);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect((await context.cookies()).some((c) => c.name === SESSION_COOKIE)).toBe(false);

    await signIn(page, 'admin', s.adminPassword);
    await page.waitForURL((u) => u.pathname === '/alerts');
    await page.locator('[data-nav="alerts"]').waitFor();
    expect(await page.locator('[data-test="user-menu"]').textContent()).toContain('admin');
    const session = (await context.cookies()).find((c) => c.name === SESSION_COOKIE);
    expect(session?.httpOnly, 'the session cookie is httpOnly').toBe(true);

    await page.locator('[data-test="user-menu"]').click();
    await page.locator('[data-test="logout"]').click();
    await page.waitForURL((u) => u.pathname === '/login');
    // The session is gone on the server, not only in the page.
    const me = await s.api('GET', '/api/v1/auth/me', undefined, { cookie: `${SESSION_COOKIE}=${session?.value}` });
    expect(me.status).toBe(401);
    await page.goto('/templates');
    await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('redirect') === '/templates');
  });

  it('returns to login with the expired notice when the session ends, and back to the page after signing in', async () => {
    const { page, context, allow } = await open({ session: await s.login('admin', s.adminPassword) });
    allow(UNAUTHORIZED);
    await page.goto('/alerts?state=firing');
    await page.locator('[data-nav="alerts"]').waitFor();
    expect(new URL(page.url()).pathname).toBe('/alerts');

    // Revoke the browser's own session on the server, as a logout elsewhere or an admin would.
    const cookie = (await context.cookies()).find((c) => c.name === SESSION_COOKIE);
    expect(cookie).toBeDefined();
    const out = await s.api('POST', '/api/v1/auth/logout', undefined, { cookie: `${SESSION_COOKIE}=${cookie?.value}` });
    expect(out.status).toBe(204);

    // The next request the page makes (the refresh button, or the next poll) meets the 401. The
    // click is a shortcut, not the subject: the list may be re-rendering the button (or a poll may
    // already have met the 401 and left the page), so a click that cannot land leaves it to the poll,
    // which comes within 30 s.
    await page.locator('[data-test="refresh"]').click({ force: true, timeout: 5_000 }).catch(() => undefined);
    await page.waitForURL((u) => u.pathname === '/login', { timeout: 45_000 });
    const url = new URL(page.url());
    expect(url.searchParams.get('expired')).toBe('1');
    expect(url.searchParams.get('redirect')).toBe('/alerts?state=firing');
    await page.locator('[data-test="expired"]').waitFor();
    await screenshot(page, 'login-expired-en');

    await signIn(page, 'admin', s.adminPassword);
    await page.waitForURL((u) => u.pathname === '/alerts');
    expect(new URL(page.url()).searchParams.get('state')).toBe('firing');
  });

  it('says the server cannot be reached while it is down, and carries on signed in when it is back', async () => {
    const { page, allow } = await open({ session: await s.login('admin', s.adminPassword) });
    allow(/ERR_CONNECTION_REFUSED|Failed to fetch/); // the browser's own report of the refused requests
    await page.goto('/alerts');
    await page.locator('[data-test="alerts-page"]').waitFor();
    expect(await page.locator('[data-test="unreachable"]').count()).toBe(0);

    const paused = await s.pause();
    try {
      await page.locator('[data-test="refresh"]').click();
      await page.locator('[data-test="unreachable"]').waitFor({ timeout: 15_000 });
      expect(new URL(page.url()).pathname, 'an unreachable server is not a signed-out user').toBe('/alerts');
      await screenshot(page, 'unreachable-en');
    } finally {
      await paused.resume();
    }
    await page.locator('[data-test="refresh"]').click();
    await page.locator('[data-test="unreachable"]').waitFor({ state: 'detached', timeout: 15_000 });
    expect(new URL(page.url()).pathname).toBe('/alerts');
  });

  it('speaks Chinese to a Chinese browser and English to an English one', async () => {
    const zh = await open({ locale: 'zh-CN' });
    zh.allow(UNAUTHORIZED);
    await zh.page.goto('/');
    await zh.page.waitForURL((u) => u.pathname === '/login');
    await expect.poll(() => zh.page.locator('[data-test="login-submit"]').textContent()).toContain('登录');
    expect(await zh.page.locator('h1').textContent()).toContain('登录 LogSage');
    expect(await zh.page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await screenshot(zh.page, 'login-zh');
    await signIn(zh.page, 'admin', s.adminPassword);
    await zh.page.locator('[data-nav="overview"]').waitFor();
    expect(await zh.page.locator('[data-nav="overview"]').textContent()).toContain('总览');
    expect(await zh.page.locator('[data-nav="logs"]').textContent()).toContain('日志');
    expect(await zh.page.locator('[data-nav="alerts"]').textContent()).toContain('告警');

    const en = await open({ locale: 'en-US', session: await s.login('admin', s.adminPassword) });
    await en.page.goto('/');
    await en.page.locator('[data-nav="overview"]').waitFor();
    expect(await en.page.locator('[data-nav="overview"]').textContent()).toContain('Overview');
    expect(await en.page.locator('[data-nav="logs"]').textContent()).toContain('Logs');
    expect(await en.page.locator('html').getAttribute('lang')).toBe('en');
  });

  it('keeps the chosen language across a reload, both ways', async () => {
    const { page } = await open({ locale: 'zh-CN', session: await s.login('admin', s.adminPassword) });
    await page.goto('/');
    const overview = page.locator('[data-nav="overview"]');
    await expect.poll(() => overview.textContent()).toContain('总览');
    await choose(page, 'locale-select', 'English');
    await expect.poll(() => overview.textContent()).toContain('Overview');
    await page.reload();
    await overview.waitFor();
    await expect.poll(() => overview.textContent()).toContain('Overview');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');

    await choose(page, 'locale-select', '简体中文');
    await expect.poll(() => overview.textContent()).toContain('总览');
    await page.reload();
    await overview.waitFor();
    await expect.poll(() => overview.textContent()).toContain('总览');
  });
});
