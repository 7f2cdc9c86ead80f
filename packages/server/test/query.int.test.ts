import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, buildLog, startTestServer, type TestServer } from './helpers.js';

// Yesterday 00:00 UTC: inside the retention window whatever day the suite runs.
const BASE = Math.floor(Date.now() / 86_400_000) * 86_400_000 - 86_400_000;
const at = (minutes: number): string => new Date(BASE + minutes * 60_000).toISOString();
const range = `from=${encodeURIComponent(at(-60))}&to=${encodeURIComponent(at(24 * 60))}`;

describe.each(ENGINES)('query API on %s', (engine) => {
  let s: TestServer;
  const get = (url: string) => s.app.inject({ method: 'GET', url });

  beforeAll(async () => {
    s = await startTestServer(engine);
    const logs = [
      ...Array.from({ length: 25 }, (_, i) => buildLog({ timestamp: at(i), service: 'api', level: 'info', message: `request ${i} served in ${i}ms` })),
      ...Array.from({ length: 5 }, (_, i) => buildLog({ timestamp: at(100 + i), service: 'db', level: 'error', message: `connection refused by replica ${i}` })),
      buildLog({ timestamp: at(200), service: 'db', level: 'warn', message: 'slow query took 2300ms on orders' }),
      // Same timestamp twice: pagination must order by id as well.
      buildLog({ timestamp: at(300), service: 'web', message: 'tie one' }),
      buildLog({ timestamp: at(300), service: 'web', message: 'tie two' }),
    ];
    const res = await s.app.inject({ method: 'POST', url: '/api/v1/logs', payload: logs });
    expect(res.json().accepted).toBe(33);
  });
  afterAll(() => s.cleanup());

  it('filters by service, level and time range', async () => {
    expect((await get(`/api/v1/logs?${range}&service=db`)).json().logs).toHaveLength(6);
    expect((await get(`/api/v1/logs?${range}&service=db&level=error`)).json().logs).toHaveLength(5);
    expect((await get(`/api/v1/logs?${range}&level=warn,error`)).json().logs).toHaveLength(6);
    expect((await get(`/api/v1/logs?${range}&service=api,web`)).json().logs).toHaveLength(27);
    const narrow = await get(`/api/v1/logs?from=${encodeURIComponent(at(10))}&to=${encodeURIComponent(at(15))}`);
    expect(narrow.json().logs.map((l: { message: string }) => l.message)).toEqual(
      [14, 13, 12, 11, 10].map((i) => `request ${i} served in ${i}ms`),
    );
  });

  it('searches the message text', async () => {
    const hits = (await get(`/api/v1/logs?${range}&q=${encodeURIComponent('replica refused')}`)).json().logs;
    expect(hits).toHaveLength(5);
    expect((await get(`/api/v1/logs?${range}&q=orders`)).json().logs[0].message).toBe('slow query took 2300ms on orders');
    expect((await get(`/api/v1/logs?${range}&q=${encodeURIComponent('connection -replica')}`)).json().logs).toHaveLength(0);
  });

  it('pages through every log with the cursor, newest first and oldest first, without gaps or repeats', async () => {
    for (const order of ['desc', 'asc']) {
      const seen: string[] = [];
      let url = `/api/v1/logs?${range}&limit=7&order=${order}`;
      for (let page = 0; page < 10; page++) {
        const body = (await get(url)).json();
        seen.push(...body.logs.map((l: { id: string }) => l.id));
        if (!body.next_cursor) break;
        url = `/api/v1/logs?${range}&limit=7&order=${order}&cursor=${body.next_cursor}`;
      }
      expect(seen).toHaveLength(33);
      expect(new Set(seen).size).toBe(33);
      const ids = seen.map(Number);
      const tail = order === 'desc' ? ids.slice(0, 2) : ids.slice(-2);
      expect(tail.sort()).toEqual(tail); // the two logs of one timestamp come in id order
    }
  });

  it('reads one log by id and 404s an unknown one', async () => {
    const first = (await get(`/api/v1/logs?${range}&service=web&limit=1`)).json().logs[0];
    const one = (await get(`/api/v1/logs/${first.id}`)).json();
    expect(one).toEqual(first);
    expect(one.timestamp).toBe(at(300).replace('Z', '000Z'));
    expect((await get('/api/v1/logs/999999999')).statusCode).toBe(404);
    expect((await get('/api/v1/logs/abc')).statusCode).toBe(400);
  });

  it('counts by level and by service in time buckets', async () => {
    const body = (await get(`/api/v1/stats?${range}&bucket=3600`)).json();
    expect(body.bucket_seconds).toBe(3600);
    const total = (list: { count: number }[]) => list.reduce((n, b) => n + b.count, 0);
    expect(total(body.by_level)).toBe(33);
    expect(body.by_level).toContainEqual({ time: at(60).replace('Z', '000Z'), key: 'error', count: 5 });
    expect(body.by_service.filter((b: { key: string }) => b.key === 'api').map((b: { count: number }) => b.count)).toEqual([25]);
  });

  it('lists services', async () => {
    const names = (await get('/api/v1/services')).json().services.map((x: { name: string }) => x.name);
    expect(names).toEqual(expect.arrayContaining(['api', 'db', 'web']));
  });

  it('answers abusive queries with a 400 that says what to change', async () => {
    const cases: [string, RegExp][] = [
      ['/api/v1/logs?limit=1000000', /limit must be <= 1000/],
      ['/api/v1/logs?from=2015-01-01T00:00:00Z&to=2025-01-01T00:00:00Z', /more than 31 days; narrow from\/to/],
      ['/api/v1/logs?cursor=bm9wZQ', /cursor is malformed/],
      ['/api/v1/logs?from=soon', /from: unreadable time/],
      ['/api/v1/logs?level=loud', /level: unknown loud/],
      [`/api/v1/stats?${range}&bucket=1`, /more than 1000 buckets/],
    ];
    for (const [url, message] of cases) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.code).toBe('invalid_query');
      expect(res.json().error.message).toMatch(message);
    }
  });
});
