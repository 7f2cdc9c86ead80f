// One Chromium per test file, a fresh context per test, and a watch on everything the page must
// never do: console errors, uncaught exceptions, CSP violations, dialogs, 5xx answers from the API.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject } from 'vitest';
import { CHROMIUM } from './global-setup.js';
import { SESSION_COOKIE } from './stack.js';

export const SCREENSHOTS = resolve(import.meta.dirname, '../../../screenshots');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Why this machine cannot run the suite (printed once by the global setup), or null. */
export const skipReason = (): string | null => inject('e2eSkipReason');

// The page reports CSP violations through a binding: Chromium also logs most of them to the console,
// but not every kind (e.g. report-only or ones raised inside workers), so both are watched.
const CSP_WATCH = `document.addEventListener('securitypolicyviolation', (e) => {
  window.__lsCsp(e.violatedDirective + ' blocked ' + (e.blockedURI || '(inline)') + ' at ' + (e.sourceFile || '?') + ':' + e.lineNumber);
}, true);`;

export interface Tab {
  page: Page;
  context: BrowserContext;
  /** Problems seen so far (the test fails in afterEach if any remain). */
  problems: string[];
  /** Console errors matching this are expected in this test (e.g. the 401 of a signed-out "who am I"). */
  allow: (re: RegExp) => void;
  /** Dialogs opened (every one is also a problem). */
  dialogs: string[];
}

export interface OpenOptions {
  locale?: string;
  /** A session cookie value to start signed in. */
  session?: string;
  viewport?: { width: number; height: number };
}

/** Registers the hooks that launch Chromium for the file, check every test's tabs, and close it. */
export function useBrowser(baseUrl: () => string): { open: (o?: OpenOptions) => Promise<Tab> } {
  let browser: Browser | undefined;
  let tabs: Tab[] = [];
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  afterEach(async () => {
    const found = tabs.flatMap((t) => t.problems);
    await Promise.all(tabs.map((t) => t.context.close().catch(() => undefined)));
    tabs = [];
    expect(found, 'console errors, page errors, CSP violations, dialogs or 5xx answers in the browser').toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(o: OpenOptions = {}): Promise<Tab> {
    if (!browser) throw new Error('Chromium did not start');
    const context = await browser.newContext({ baseURL: baseUrl(), locale: o.locale ?? 'en-US', viewport: o.viewport ?? { width: 1366, height: 860 } });
    if (o.session) await context.addCookies([{ name: SESSION_COOKIE, value: o.session, url: baseUrl(), httpOnly: true, sameSite: 'Lax' }]);
    const allowed: RegExp[] = [];
    const problems: string[] = [];
    await context.exposeBinding('__lsCsp', (_src, v: string) => void problems.push(`CSP violation: ${v}`));
    await context.addInitScript(CSP_WATCH);
    const page = await context.newPage();
    const tab: Tab = { page, context, problems, dialogs: [], allow: (re) => void allowed.push(re) };
    page.on('console', (m) => {
      if (m.type() === 'error' && !allowed.some((re) => re.test(m.text()))) tab.problems.push(`console error on ${page.url()}: ${m.text()}`);
    });
    page.on('pageerror', (err) => void tab.problems.push(`page error on ${page.url()}: ${err.message}`));
    page.on('dialog', (d) => {
      tab.dialogs.push(d.message());
      tab.problems.push(`a ${d.type()} dialog opened: ${d.message()}`);
      void d.dismiss().catch(() => undefined);
    });
    page.on('response', (r) => {
      if (r.status() >= 500) tab.problems.push(`${r.status()} from ${r.request().method()} ${r.url()}`);
    });
    tabs.push(tab);
    return tab;
  }
  return { open };
}

// The layout scrolls inside its main area, not the document, so a "full page" screenshot would
// stop at the window's edge: the window is made as tall as the content for the picture.
const OVERFLOW = `(() => { const m = document.querySelector('.ls-main'); return m ? m.scrollHeight - m.clientHeight : 0; })()`;

/** Saves a full-page screenshot as screenshots/e2e-<name>.png (git-ignored), for a human to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Let charts finish their entrance animation and fonts settle before the picture.
  await page.waitForTimeout(600);
  const size = page.viewportSize();
  const extra = Number(await page.evaluate(OVERFLOW));
  if (size && extra > 0) {
    await page.setViewportSize({ width: size.width, height: Math.min(size.height + extra, 6000) });
    await page.waitForTimeout(300); // charts resize to the new layout
  }
  await page.screenshot({ path: resolve(SCREENSHOTS, `e2e-${name}.png`), fullPage: true });
  if (size && extra > 0) await page.setViewportSize(size);
}

/** Signs in through the login form. */
export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.locator('#ls-username').fill(username);
  await page.locator('#ls-password').fill(password);
  await page.locator('[data-test="login-submit"]').click();
}

/** Picks an option of an Element Plus select (the dropdown is teleported to <body>). */
export async function choose(page: Page, selectTest: string, optionText: string | RegExp): Promise<void> {
  await page.locator(`[data-test="${selectTest}"]`).click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: optionText }).first().click();
}
