import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { ENGINES, buildLog, hasPostgres, startRelayedTestServer, startTestServer, holdLogsTable, type TestServer } from './helpers.js';

describe.skipIf(!hasPostgres())('database unreachable', () => {
  let s: TestServer;
  let proxy: Awaited<ReturnType<typeof startRelayedTestServer>>['proxy'];
  let direct: pg.Client;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    let directUrl: string;
    ({ s, proxy, directUrl, cleanup } = await startRelayedTestServer());
    direct = new pg.Client(directUrl);
    await direct.connect();
  });
  afterAll(async () => {
    await direct.end();
    await cleanup();
  });

  const post = (message: string) =>
    s.app.inject({ method: 'POST', url: '/api/v1/logs', payload: [buildLog({ message }), buildLog({ message: `${message}-b` })] });

  it('answers 503 with Retry-After while the database is away, and acknowledges only what it stored', async () => {
    const acked: string[] = [];
    const refused: string[] = [];
    const send = async (m: string) => {
      const r = await post(m);
      (r.statusCode === 200 ? acked : refused).push(m);
      return r;
    };
    expect((await send('before-1')).statusCode).toBe(200);
    await proxy.cut();
    for (const m of ['during-1', 'during-2', 'during-3']) {
      const r = await send(m);
      expect(r.statusCode).toBe(503);
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      expect(r.json().error.code).toBe('unavailable');
    }
    const q = await s.app.inject({ method: 'GET', url: '/api/v1/logs' });
    expect(q.statusCode).toBe(503);
    expect(q.headers['retry-after']).toBeDefined();
    expect((await s.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
    await proxy.restore();
    expect((await send('after-1')).statusCode).toBe(200);
    const stored = (await direct.query<{ message: string }>('SELECT message FROM logs ORDER BY id')).rows.map((r) => r.message);
    expect(stored).toEqual(acked.flatMap((m) => [m, `${m}-b`]));
    expect(refused).toEqual(['during-1', 'during-2', 'during-3']);
  });
});

describe.each(ENGINES)('saturated ingestion on %s', (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    // The test holds the logs table in a transaction; on PGlite that holds its one connection, so a
    // credential lookup would queue behind it. Saturation, not auth, is under test here.
    s = await startTestServer(engine, { INGEST_MAX_PENDING: '1000', AUTH_DISABLED: 'true' });
  });
  afterAll(() => s.cleanup());

  it('answers 503 with Retry-After once too many entries wait for a commit, and stores the admitted ones', async () => {
    const lock = await holdLogsTable(s.db);
    const batch = (tag: string) => Array.from({ length: 800 }, (_, i) => buildLog({ message: `${tag} ${i}` }));
    const first = s.app.inject({ method: 'POST', url: '/api/v1/logs', payload: batch('first') });
    await new Promise((r) => setTimeout(r, 100));
    const second = await s.app.inject({ method: 'POST', url: '/api/v1/logs', payload: batch('second') });
    expect(second.statusCode).toBe(503);
    expect(second.headers['retry-after']).toBe('1');
    await lock.release();
    expect((await first).json().accepted).toBe(800);
    const n = await s.db.query<{ n: string }>("SELECT count(*) AS n FROM logs WHERE message LIKE 'second %'");
    expect(Number(n.rows[0]!.n)).toBe(0);
  });
});
