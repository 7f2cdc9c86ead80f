// Incidents in real Chromium against a real incident: two hours of quiet info traffic from one
// service, then a burst of an error line it never logged before. The worker's incident loop judges
// the minute once it closes, opens an incident (new template, spike, error share), the LLM stand-in
// writes its story, and the list, the page (chart, story, signals, samples) and the overview show it,
// in English and in Chinese.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, skipReason, useBrowser } from './browser.js';
import { analysed, attrs, buildLog } from './data.js';
import { startStack, until, type Stack } from './stack.js';

interface ApiIncident {
  id: string;
  state: string;
  severity: string;
  title: string;
  services: string[];
  signal_count: number;
  story_state: string;
}
interface ApiIncidentDetail extends ApiIncident {
  story: { title: string; summary: string; model: string } | null;
  signals: { kind: string; service: string; template: string }[];
  templates: { id: string; series: { count: number }[] }[];
  samples: { log_id: string; message: string }[];
}

const SERVICE = 'checkout';
const MINUTE = 60_000;
const WIDE = { width: 1440, height: 900 };
/** Quiet lines the service sends every other minute for two hours: its normal. */
const WARM: ((i: number) => string)[] = [
  (i) => `GET /cart/${1000 + i} returned 200 in ${12 + (i % 7)} ms`,
  (i) => `order ${5000 + i} placed by customer ${300 + (i % 50)}`,
  (i) => `inventory synced: ${40 + (i % 9)} items updated`,
];
/** The error line it never logged before, sent 30 times within one minute. */
const burstLine = (i: number): string => `payment gateway refused order ${7000 + i}: connection pool exhausted after ${200 + i} ms`;

function warmUp(now: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let m = 120; m >= 2; m -= 2) {
    WARM.forEach((msg, k) => out.push(buildLog({ service: SERVICE, level: 'info', message: msg(m), timestamp: new Date(now - m * MINUTE + k * 1000).toISOString() })));
  }
  return out;
}

describe.skipIf(skipReason())('incidents (Chromium, PostgreSQL, stand-in, incident loop)', () => {
  let s: Stack;
  let admin: string;
  let incident: ApiIncidentDetail;
  let ruleId: string;

  beforeAll(async () => {
    // The loop looks every half second and judges a minute 15 s after it closed: the burst, sent in
    // the first half of its minute, then has at least 45 s to be counted by the assign pass on a
    // loaded machine (a minute is judged once; counted late, it would open nothing).
    s = await startStack({ INCIDENT_TICK_MS: '500', INCIDENT_SETTLE_SECONDS: '15' });
    admin = await s.login('admin', s.adminPassword);
    const rule = await s.api<{ id: string }>('POST', '/api/v1/rules', { kind: 'incident', name: 'Checkout incidents', conditions: { services: [SERVICE] }, group_wait_seconds: 0 });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    ruleId = rule.body.id;
    const warm = warmUp(Date.now());
    await s.ingest(warm);
    // Every quiet line has its template before the burst: the burst's template is then the only new one.
    await analysed(s, warm.length, 90_000);
    // Sent early in a minute (see the settle time above).
    if (Date.now() % MINUTE > 30_000) await new Promise((r) => setTimeout(r, MINUTE - (Date.now() % MINUTE) + 500));
    const t0 = Date.now();
    await s.ingest(Array.from({ length: 30 }, (_, i) => buildLog({ service: SERVICE, level: 'error', message: burstLine(i), timestamp: new Date(t0 + i * 10).toISOString() })));
    const opened = await until(async () => {
      const r = await s.api<{ incidents: ApiIncident[] }>('GET', '/api/v1/incidents?state=open');
      return r.body.incidents[0];
    }, 'an open incident', 150_000);
    incident = await until(async () => {
      const d = (await s.api<ApiIncidentDetail>('GET', `/api/v1/incidents/${opened.id}`)).body;
      return d.story_state === 'written' && d.story ? d : undefined;
    }, 'the incident story', 60_000);
  }, 300_000);
  afterAll(async () => {
    await s?.stop();
  });
  const { open } = useBrowser(() => s.baseUrl);

  it('the server found the new error line in the service and the stand-in told its story', () => {
    expect(incident.services).toEqual([SERVICE]);
    expect(incident.signals.map((x) => x.kind)).toContain('new_template');
    expect(incident.signals.find((x) => x.kind === 'new_template')?.template).toContain('payment gateway refused order');
    expect(['high', 'critical']).toContain(incident.severity);
    expect(incident.samples.length).toBeGreaterThan(0);
    expect(incident.templates.some((t) => t.series.some((p) => p.count > 0))).toBe(true);
  });

  /** Opens the list and checks the incident's row; returns the page. */
  async function showList(page: Page): Promise<void> {
    await page.goto('/incidents');
    const row = page.locator(`[data-test="incident-row"][data-id="${incident.id}"]`);
    await row.waitFor();
    expect(await attrs(page.locator('[data-test="incident-row"]'), 'data-id')).toEqual([incident.id]);
    expect(await row.getAttribute('data-state')).toBe('open');
    expect((await row.locator('[data-test="incident-link"]').textContent())?.trim()).toBe(incident.title);
    expect((await row.locator('[data-test="incident-services"]').textContent())?.trim()).toBe(SERVICE);
    expect((await row.locator('[data-test="incident-signals"]').textContent())?.trim()).toBe(String(incident.signal_count));
    expect(await row.locator('[data-test="incident-story-state"]').getAttribute('data-state')).toBe('written');
    await expect.poll(async () => (await page.locator('[data-test="nav-incidents-open"]').textContent())?.trim()).toBe('1');
  }

  /** Checks the page of the incident: header, chart, story, signals in words, samples linking to logs. */
  async function showPage(page: Page, lang: 'en' | 'zh'): Promise<void> {
    await page.locator('[data-test="incident-header"]').waitFor();
    expect((await page.locator('[data-test="incident-title"]').textContent())?.trim()).toBe(incident.title);
    await page.locator('[data-test="incident-chart"] canvas').first().waitFor({ timeout: 15_000 });
    expect(Number(await page.locator('[data-test="incident-chart"]').getAttribute('data-lines'))).toBe(incident.templates.length);
    expect(Number(await page.locator('[data-test="incident-chart"]').getAttribute('data-marks'))).toBeGreaterThan(0);
    expect((await page.locator('[data-test="story-summary"]').textContent())?.trim()).toBe(incident.story?.summary);
    expect((await page.locator('[data-test="story-model"]').textContent())).toContain(incident.story?.model);
    const kinds = await attrs(page.locator('[data-test="signal-row"]'), 'data-kind');
    expect(kinds.sort()).toEqual(incident.signals.map((x) => x.kind).sort());
    const newTemplate = page.locator('[data-test="signal-row"][data-kind="new_template"] [data-test="signal-kind"]');
    expect((await newTemplate.textContent())?.trim()).toBe(lang === 'zh' ? '新日志模板' : 'New template');
    const sample = incident.samples[0]!;
    expect(await page.locator(`[data-test="sample-row"][data-id="${sample.log_id}"] [data-test="sample-link"]`).getAttribute('href')).toBe(`/logs/${sample.log_id}`);
  }

  for (const lang of ['en', 'zh'] as const) {
    it(`lists the incident and opens its page with chart, story and signals (${lang === 'zh' ? 'Chinese' : 'English'})`, async () => {
      const { page } = await open({ session: admin, locale: lang === 'zh' ? 'zh-CN' : 'en-US', viewport: WIDE });
      await showList(page);
      expect((await page.locator('h1').textContent())?.trim()).toContain(lang === 'zh' ? '故障' : 'Incidents');
      await screenshot(page, `incidents-${lang}`);
      await page.locator(`[data-test="incident-row"][data-id="${incident.id}"] [data-test="incident-link"]`).click();
      await page.waitForURL((u) => u.pathname === `/incidents/${incident.id}`);
      await showPage(page, lang);
      await screenshot(page, `incident-${lang}`);
    });
  }

  it('an incident rule raised one alert for the incident; the rules list and editor show its kind', async () => {
    const alert = await until(async () => {
      const r = await s.api<{ alerts: { rule_id: string; labels: Record<string, string> }[] }>('GET', '/api/v1/alerts?state=firing');
      return r.body.alerts.find((a) => a.rule_id === ruleId);
    }, 'the incident rule\'s alert', 30_000);
    expect(alert.labels.incident).toBe(incident.id);
    const { page } = await open({ session: admin, viewport: WIDE });
    await page.goto('/rules');
    const kind = page.locator(`[data-test="rule-row"][data-id="${ruleId}"] [data-test="rule-row-kind"]`);
    await kind.waitFor();
    expect(await kind.getAttribute('data-kind')).toBe('incident');
    await page.goto(`/rules/${ruleId}`);
    await page.locator('[data-test="rule-incident-note"]').waitFor();
    expect(await page.locator('[data-test="rule-kind"] .is-active').getAttribute('data-value')).toBe('incident');
    for (const hidden of ['rule-anomaly', 'rule-levels', 'rule-text-regex', 'rule-threshold-count', 'rule-preview']) {
      expect(await page.locator(`[data-test="${hidden}"]`).count(), hidden).toBe(0);
    }
    await screenshot(page, 'rule-incident-en');
  });

  it('the overview counts the open incident and links to it; the state filter lives in the address', async () => {
    const { page } = await open({ session: admin, viewport: WIDE });
    await page.goto('/');
    const card = page.locator('[data-test="card-incidents"]');
    await card.locator(`[data-test="open-incident"][data-id="${incident.id}"]`).waitFor();
    expect((await card.locator('[data-test="incidents-open-count"]').textContent())?.trim()).toBe('1');
    await screenshot(page, 'overview-incidents-en');
    await page.goto('/incidents?state=resolved');
    await page.locator('[data-test="incidents-page"] [data-state="empty"]').waitFor();
    await page.locator('[data-test="incidents-state"] [data-value="all"]').click();
    await page.waitForURL((u) => u.searchParams.get('state') === 'all');
    await page.locator(`[data-test="incident-row"][data-id="${incident.id}"]`).waitFor();
  });
});
