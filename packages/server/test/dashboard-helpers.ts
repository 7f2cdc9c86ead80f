import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Queryable } from '../src/db/types.js';
import { searchWindows } from '../src/modules/query/narrow.js';
import { findLogs, type LogFilter } from '../src/modules/query/repo-logs.js';

// Paging helpers of the dashboard tests: what the cursor contract promises, through the API and
// through the narrowed repository read alone.

/** The pages the cursor contract gives for `ids`: full pages, then a last short (possibly empty) one. */
export function chunk(ids: string[], limit: number): string[][] {
  const out: string[][] = [];
  for (let i = 0; i <= ids.length; i += limit) out.push(ids.slice(i, i + limit));
  return out;
}

/** Every page of GET /api/v1/logs?<query> through next_cursor, as lists of ids. */
export async function apiPages(get: (url: string) => Promise<LightMyRequestResponse>, query: string): Promise<string[][]> {
  const out: string[][] = [];
  let cursor: string | null = null;
  do {
    const res = await get(`/api/v1/logs?${query}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ logs: { id: string }[]; next_cursor: string | null }>();
    out.push(body.logs.map((l) => l.id));
    cursor = body.next_cursor;
  } while (cursor && out.length < 1000);
  return out;
}

/**
 * Every page read through searchWindows and the repository. With `firstOnly` (filters the counts
 * hold exactly) a page is read from the first window alone, without the later windows that would
 * make up for a window cut too short: a range narrowed too far shows here as a short page.
 */
export async function narrowedPages(db: Queryable, f: Omit<LogFilter, 'after'>, o: { firstOnly: boolean }): Promise<string[][]> {
  const out: string[][] = [];
  let after: LogFilter['after'];
  for (;;) {
    const windows = await searchWindows(db, { ...f, after });
    const page: Awaited<ReturnType<typeof findLogs>> = [];
    for (const w of o.firstOnly ? windows.slice(0, 1) : windows) {
      page.push(...(await findLogs(db, { ...w, limit: f.limit - page.length })));
      if (page.length === f.limit) break;
    }
    out.push(page.map((l) => l.id));
    const last = page.at(-1);
    if (page.length < f.limit || !last || out.length >= 1000) return out;
    after = { ts: last.timestamp, id: last.id };
  }
}
