import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from './helpers.js';
import { buildNotification, outboxRows, testWorker } from './notify-helpers.js';
import { startHttpReceiver, type HttpReceiver } from './receivers/http.js';
import { enqueueNotifications } from '../src/modules/notify/index.js';

/** The largest number of times that fall in any window of `windowMs`. */
function busiestWindow(times: number[], windowMs: number): number {
  const t = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (t[i]! - t[j]! >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

for (const engine of ENGINES) {
  describe(`notification delivery (${engine})`, () => {
    let s: TestServer;
    let http: HttpReceiver;
    let clock = Date.now();
    const now = () => clock;
    beforeAll(async () => {
      http = await startHttpReceiver();
      s = await startTestServer(engine, { OUTBOUND_ALLOW: '127.0.0.1' });
    });
    afterAll(async () => {
      await s?.cleanup();
      await http?.close();
    });
    // Rows are due from the database's now(); the test clock starts past it and only moves forward.
    beforeEach(() => {
      clock = Math.max(clock, Date.now()) + 1000;
    });
    /** Moves the test clock past the database's now(), where freshly enqueued rows are due. */
    const catchUp = () => (clock = Math.max(clock, Date.now()) + 1000);
    const hits = (path: string) => http.requests.filter((r) => r.path === path).length;
    const nextDue = async () => Number((await s.db.query<{ ms: number | null }>(
      "SELECT (extract(epoch FROM min(next_attempt_at)) * 1000)::float8 AS ms FROM notify_outbox WHERE state = 'pending'")).rows[0]?.ms ?? 0);
    const channel = async (type: string, path: string) => {
      const res = await s.app.inject({ method: 'POST', url: '/api/v1/channels', payload: { name: path, type, config: { url: `${http.url}${path}` } } });
      return res.json<{ id: string }>().id;
    };

    it('writes one outbox row per channel and key; repeats, unknown channels and rolled-back transactions add none', async () => {
      const a = await channel('webhook', '/a');
      const n = buildNotification({ idempotencyKey: 'once' });
      expect(await enqueueNotifications(s.db, [a, a, 'no-such-channel'], n)).toBe(1);
      expect(await enqueueNotifications(s.db, [a], n)).toBe(0);
      await s.db.transaction(async (tx) => {
        await enqueueNotifications(tx, [a], buildNotification({ idempotencyKey: 'rolled-back' }));
        throw new Error('alert transaction failed');
      }).catch(() => undefined);
      expect(await outboxRows(s.db, a)).toHaveLength(1);
    });

    it('a row is due by the clock of the one who enqueued it, the worker\'s clock, whatever the database\'s says', async () => {
      // The database's clock 5 s ahead of the application's (another host, or a sub-millisecond
      // difference on this one): a row due at the database's now() would wait those 5 s.
      const id = await channel('webhook', '/skewed');
      const appNow = Date.now() - 5000;
      await enqueueNotifications(s.db, [id], buildNotification({ idempotencyKey: 'skewed' }), appNow);
      await testWorker(s, { now: () => appNow }).runOnce();
      expect((await outboxRows(s.db, id))[0]).toMatchObject({ state: 'sent', last_status: 200 });
      expect(hits('/skewed')).toBe(1);
    });

    it('retries with backoff, parks after the last attempt, and a re-drive sends it', async () => {
      const id = await channel('webhook', '/flaky');
      http.handler = (r) => (r.path === '/flaky' ? { status: 503 } : {});
      await enqueueNotifications(s.db, [id], buildNotification({ idempotencyKey: 'flaky' }));
      const w = testWorker(s, { now, maxAttempts: 3, retryBaseMs: 1000 });
      catchUp();
      await w.runOnce();
      await w.runOnce(); // not due yet: backoff
      expect(hits('/flaky')).toBe(1);
      for (let i = 0; i < 2; i++) {
        clock += 10_000;
        await w.runOnce();
      }
      const [row] = await outboxRows(s.db, id);
      expect(row).toMatchObject({ state: 'parked', attempts: 3, last_status: 503, last_error: 'HTTP 503' });
      const parked = (await s.app.inject({ url: `/api/v1/notifications?state=parked&channel_id=${id}` })).json().notifications;
      expect(parked).toHaveLength(1);
      http.handler = () => ({});
      const retried = await s.app.inject({ method: 'POST', url: `/api/v1/notifications/${row!.id}/retry` });
      expect(retried.json()).toMatchObject({ state: 'pending', attempts: 0 });
      clock += 1000;
      await w.runOnce();
      expect((await outboxRows(s.db, id))[0]).toMatchObject({ state: 'sent', last_status: 200 });
      expect((await s.app.inject({ method: 'POST', url: `/api/v1/notifications/${row!.id}/retry` })).statusCode).toBe(409);
    });

    it('honours 429 Retry-After and parks a permanent refusal at once', async () => {
      const id = await channel('webhook', '/busy');
      let busy = true;
      http.handler = (r) => (r.path === '/busy' && busy ? { status: 429, headers: { 'retry-after': '120' } } : r.path === '/gone' ? { status: 404 } : {});
      await enqueueNotifications(s.db, [id], buildNotification({ idempotencyKey: 'busy' }));
      const w = testWorker(s, { now, retryBaseMs: 1000 });
      catchUp();
      await w.runOnce();
      busy = false;
      clock += 60_000;
      await w.runOnce();
      expect(hits('/busy')).toBe(1);
      clock += 61_000;
      await w.runOnce();
      expect(hits('/busy')).toBe(2);
      expect((await outboxRows(s.db, id))[0]).toMatchObject({ state: 'sent', attempts: 2 });
      const gone = await channel('webhook', '/gone');
      await enqueueNotifications(s.db, [gone], buildNotification({ idempotencyKey: 'gone' }));
      catchUp();
      await w.runOnce();
      expect((await outboxRows(s.db, gone))[0]).toMatchObject({ state: 'parked', attempts: 1, last_status: 404 });
    });

    it('a storm to DingTalk and Feishu never exceeds their limits, across two workers, and nothing is dropped', async () => {
      const seen = new Map<string, number[]>();
      http.handler = (r) => {
        seen.set(r.path, [...(seen.get(r.path) ?? []), clock]);
        return {};
      };
      const ding = await channel('dingtalk', '/robot/send?access_token=storm');
      const fei = await channel('feishu', '/open-apis/bot/v2/hook/storm');
      for (let i = 0; i < 30; i++) await enqueueNotifications(s.db, [ding], buildNotification({ idempotencyKey: `d${i}` }));
      for (let i = 0; i < 110; i++) await enqueueNotifications(s.db, [fei], buildNotification({ idempotencyKey: `f${i}` }));
      const workers = [testWorker(s, { now, batchSize: 10 }), testWorker(s, { now, batchSize: 10 })];
      catchUp();
      const total = () => (seen.get('/robot/send')?.length ?? 0) + (seen.get('/open-apis/bot/v2/hook/storm')?.length ?? 0);
      for (let round = 0; round < 1000 && total() < 140; round++) {
        const before = total();
        await Promise.all(workers.map((w) => w.runOnce()));
        // Nothing went out: jump to the next row's time (a freed rate-limit slot) instead of ticking through the wait.
        clock = total() > before ? clock + 100 : Math.max(clock + 100, await nextDue());
      }
      const d = seen.get('/robot/send') ?? [], f = seen.get('/open-apis/bot/v2/hook/storm') ?? [];
      expect(d).toHaveLength(30);
      expect(f).toHaveLength(110);
      expect(busiestWindow(d, 60_000)).toBeLessThanOrEqual(20);
      expect(busiestWindow(f, 1000)).toBeLessThanOrEqual(5);
      expect(busiestWindow(f, 60_000)).toBeLessThanOrEqual(100);
      expect((await outboxRows(s.db, fei)).every((r) => r.state === 'sent' && r.attempts === 1)).toBe(true);
    }, 180_000);
  });
}
