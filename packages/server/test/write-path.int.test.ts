import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeSearchPendingLists } from '../src/modules/ingest/repo-logs.js';
import { ENGINES, buildLog, startTestServer, type TestServer } from './helpers.js';

// One hour ago: inside today's or yesterday's partition whatever time the suite runs.
const AT = new Date(Date.now() - 3_600_000).toISOString();

describe.each(ENGINES)('the write path on %s', (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(engine);
  });
  afterAll(() => s.cleanup());

  const search = async (query: string): Promise<string[]> => {
    const from = new Date(Date.parse(AT) - 60_000).toISOString();
    const to = new Date(Date.parse(AT) + 60_000).toISOString();
    const res = await s.app.inject({ method: 'GET', url: `/api/v1/logs?from=${from}&to=${to}&${query}` });
    expect(res.statusCode).toBe(200);
    return res.json<{ logs: { message: string }[] }>().logs.map((l) => l.message).sort();
  };

  it('finds logs by their words before and after the pending list is merged into the index', async () => {
    const logs = [
      buildLog({ timestamp: AT, level: 'error', service: 'db', message: 'checkpoint stalled on replica-7' }),
      buildLog({ timestamp: AT, level: 'info', service: 'api', message: 'replica-7 caught up' }),
      buildLog({ timestamp: AT, level: 'warn', service: 'api', message: '连接超时 on replica-9' }),
    ];
    const res = await s.app.inject({ method: 'POST', url: '/api/v1/logs', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(logs) });
    expect(res.statusCode).toBe(200);
    // The rows sit in the full-text pending list (fastupdate) until merged: searches read it there.
    expect(await search('q=replica-7')).toEqual(['checkpoint stalled on replica-7', 'replica-7 caught up']);
    expect(await mergeSearchPendingLists(s.db)).toBeGreaterThan(0);
    expect(await mergeSearchPendingLists(s.db)).toBe(0);
    expect(await search('q=replica-7')).toEqual(['checkpoint stalled on replica-7', 'replica-7 caught up']);
    expect(await search('q=超时')).toEqual(['连接超时 on replica-9']);
    // Rare levels are read through their partial index, common ones along the primary key: same answers.
    expect(await search('level=error,warn')).toEqual(['checkpoint stalled on replica-7', '连接超时 on replica-9']);
    expect(await search('level=info')).toEqual(['replica-7 caught up']);
    expect(await search('level=info,error&service=db')).toEqual(['checkpoint stalled on replica-7']);
  });

  it('lists a service once it sent logs, and moves its first_seen back when older logs arrive', async () => {
    const older = new Date(Date.parse(AT) - 600_000).toISOString();
    const post = (timestamp: string) =>
      s.app.inject({ method: 'POST', url: '/api/v1/logs', headers: { 'content-type': 'application/json' }, payload: JSON.stringify([buildLog({ timestamp, service: 'spans' })]) });
    expect((await post(AT)).statusCode).toBe(200);
    expect((await post(older)).statusCode).toBe(200);
    const res = await s.app.inject({ method: 'GET', url: '/api/v1/services' });
    const row = res.json<{ services: { name: string; first_seen: string; last_seen: string }[] }>().services.find((x) => x.name === 'spans');
    expect(row && [Date.parse(row.first_seen), Date.parse(row.last_seen)]).toEqual([Date.parse(older), Date.parse(AT)]);
  });
});
