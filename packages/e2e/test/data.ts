// Test data through the real API, and the small readers the view tests share.
import type { Locator, Page } from 'playwright-core';
import { until, type Stack } from './stack.js';

export interface ApiLog {
  id: string;
  timestamp: string;
  level: string;
  service: string;
  message: string;
  analysis_status: 'done' | 'pending' | 'skipped';
  analysis: { source: string; summary: string; model: string; severity: string; is_anomaly: boolean; template_id: string | null } | null;
}

/** A shipper entry stating only what a test cares about. */
export function buildLog(over: Record<string, unknown> = {}): Record<string, unknown> {
  return { timestamp: new Date().toISOString(), level: 'info', service: 'web', message: 'request served', ...over };
}

/** GET /api/v1/logs with this query string (admin key), newest first. */
export async function apiLogs(s: Stack, query = ''): Promise<ApiLog[]> {
  const r = await s.api<{ logs: ApiLog[] }>('GET', `/api/v1/logs?limit=1000${query ? `&${query}` : ''}`);
  if (r.status !== 200) throw new Error(`GET /api/v1/logs?${query} answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body.logs;
}

/** Waits until `n` logs are stored and none of them waits for analysis; returns them. */
export async function analysed(s: Stack, n: number, timeoutMs = 45_000): Promise<ApiLog[]> {
  return until(async () => {
    const logs = await apiLogs(s);
    return logs.length >= n && logs.every((l) => l.analysis_status !== 'pending') ? logs : undefined;
  }, `${n} analysed logs`, timeoutMs);
}

/** One attribute of every element the locator matches, in document order (one round trip). */
export async function attrs(locator: Locator, name: string): Promise<(string | null)[]> {
  // The element type is spelled out: these tests are type-checked without the DOM library.
  return locator.evaluateAll((els: { getAttribute(n: string): string | null }[], n: string) => els.map((e) => e.getAttribute(n)), name);
}

/** The ids of the log rows the table shows, top to bottom (the table renders a window of rows). */
export async function rowIds(page: Page): Promise<(string | null)[]> {
  return attrs(page.locator('[data-test="logs-row"]'), 'data-id');
}

/** The number of rows the table holds (all of them, not only the rendered window). */
export async function rowCount(page: Page): Promise<number> {
  return Number(await page.locator('[data-test="logs-table"]').getAttribute('aria-rowcount'));
}
