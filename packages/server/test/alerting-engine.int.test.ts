import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from './helpers.js';
import { buildChannel, buildResult, createRule, outbox, resetAlerting, testEngine } from './alerting-helpers.js';

const S = 1000;
const M = 60 * S;

describe.each(ENGINES)('alert engine on %s', (engine) => {
  let server: TestServer;
  let channel: string;
  // The engine's clock starts at the real time: silences and acknowledgements made through the API use it.
  let T0 = 0;

  beforeAll(async () => {
    server = await startTestServer(engine);
  });
  afterAll(async () => {
    await server.cleanup();
  });
  beforeEach(async () => {
    await resetAlerting(server.db);
    channel = await buildChannel(server.db);
    T0 = Date.now();
  });

  const alertRows = async () =>
    (await server.db.query<{ id: string; state: string; count: number; labels: Record<string, string> }>(
      `SELECT id::text AS id, state, count::int AS count, labels FROM alerts ORDER BY id`,
    )).rows;
  const history = async (id: string) =>
    (await server.app.inject({ method: 'GET', url: `/api/v1/alerts/${id}` })).json<{ history: { event: string }[] }>().history.map((h) => h.event);

  it('groups results by label, waits group_wait, then sends one notification per group and channel, once', async () => {
    await createRule(server, { conditions: { min_severity: 'high' }, channel_ids: [channel] });
    const e = testEngine(server, T0);
    for (const service of ['api', 'api', 'web']) await buildResult(server.db, { service });
    await buildResult(server.db, { service: 'api', severity: 'low' }); // below min_severity
    expect(await e.at(0)).toMatchObject({ evaluated: 4, fired: 2, notifications: 0 });
    expect((await alertRows()).map((a) => [a.labels.service, a.count])).toEqual([['api', 2], ['web', 1]]);
    await e.at(29 * S);
    expect(await outbox(server.db)).toEqual([]);
    expect(await e.at(30 * S)).toMatchObject({ notifications: 2 });
    await e.at(31 * S);
    const sent = await outbox(server.db);
    expect(sent.map((n) => [n.status, n.labels.service, n.count])).toEqual([['firing', 'api', 2], ['firing', 'web', 1]]);
    expect(sent.every((n) => n.key.endsWith(':firing:1'))).toBe(true);
  });

  it('notifies new results after group_interval, repeats after repeat_interval until acknowledged, resolves after the quiet period', async () => {
    await createRule(server, { channel_ids: [channel], resolve_after_minutes: 300, repeat_interval_seconds: 3600 });
    const e = testEngine(server, T0);
    await buildResult(server.db);
    await e.at(0);
    await e.at(30 * S); // round 1
    await buildResult(server.db);
    await e.at(1 * M);
    await e.at(5 * M); // group_interval (5 min after round 1) not over
    expect((await outbox(server.db)).length).toBe(1);
    await e.at(30 * S + 5 * M); // round 2: the new result
    expect((await outbox(server.db)).map((n) => n.count)).toEqual([1, 2]);
    await e.at(30 * S + 64 * M);
    expect((await outbox(server.db)).length).toBe(2);
    await e.at(30 * S + 65 * M); // repeat_interval after round 2: the same alert again
    expect((await outbox(server.db)).map((n) => n.key.split(':').slice(1).join(':'))).toEqual(['firing:1', 'firing:2', 'firing:3']);
    const [alert] = await alertRows();
    expect((await server.app.inject({ method: 'POST', url: `/api/v1/alerts/${alert!.id}/ack` })).statusCode).toBe(200);
    await e.at(30 * S + 130 * M); // acknowledged: no more reminders
    expect((await outbox(server.db)).length).toBe(3);
    await e.at(1 * M + 300 * M); // five quiet hours after the last result
    expect((await alertRows())[0]!.state).toBe('resolved');
    const sent = await outbox(server.db);
    expect(sent.at(-1)).toMatchObject({ status: 'resolved', count: 2, key: `${alert!.id}:resolved:3` });
    expect(await history(alert!.id)).toEqual(['firing', 'notified', 'notified', 'notified', 'acked', 'resolved', 'notified']);
    await buildResult(server.db); // the group fires again: a new alert
    await e.at(2 * M + 300 * M);
    expect((await alertRows()).map((a) => a.state)).toEqual(['resolved', 'firing']);
  });

  it('records silenced alerts without notifying them, and notifies once the silence is expired', async () => {
    await createRule(server, { channel_ids: [channel], notify_resolved: false });
    const e = testEngine(server, T0);
    await buildResult(server.db, { service: 'api' });
    await buildResult(server.db, { service: 'web' });
    await e.at(0);
    const silence = await server.app.inject({
      method: 'POST', url: '/api/v1/silences', payload: { matchers: [{ name: 'service', value: 'a.i', is_regex: true }], duration_minutes: 60, comment: 'deploy' },
    });
    expect(silence.statusCode).toBe(201);
    await e.at(40 * S);
    expect((await outbox(server.db)).map((n) => n.labels.service)).toEqual(['web']);
    const api = (await alertRows()).find((a) => a.labels.service === 'api')!;
    expect(await history(api.id)).toEqual(['firing', 'silenced']);
    const expired = await server.app.inject({ method: 'DELETE', url: `/api/v1/silences/${silence.json<{ id: string }>().id}` });
    expect(expired.json()).toMatchObject({ state: 'expired' });
    await e.at(50 * S);
    expect((await outbox(server.db)).map((n) => n.labels.service)).toEqual(['web', 'api']);
    expect(await history(api.id)).toEqual(['firing', 'silenced', 'unsilenced', 'notified']);
  });

  it('silences an alert from the alert itself: its rule and labels', async () => {
    await createRule(server, { channel_ids: [channel] });
    const e = testEngine(server, T0);
    await buildResult(server.db);
    await e.at(0);
    const [alert] = await alertRows();
    const res = await server.app.inject({ method: 'POST', url: `/api/v1/alerts/${alert!.id}/silence`, payload: { duration_minutes: 30 } });
    expect(res.statusCode).toBe(201);
    expect(res.json<{ matchers: { name: string }[] }>().matchers.map((m) => m.name)).toEqual(['rule_id', 'service']);
    await e.at(1 * M);
    expect(await outbox(server.db)).toEqual([]);
  });

  it('fires a threshold rule only when N results fall within the window of one group', async () => {
    await createRule(server, { channel_ids: [channel], threshold: { count: 3, window_minutes: 5 } });
    const e = testEngine(server, T0);
    const at = (min: number) => new Date(T0 + min * M).toISOString();
    await buildResult(server.db, { ts: at(0) });
    await buildResult(server.db, { ts: at(4) });
    await buildResult(server.db, { ts: at(4), service: 'web' });
    await e.at(0);
    await buildResult(server.db, { ts: at(10) }); // the first two are out of its window
    await e.at(10 * M);
    expect(await alertRows()).toEqual([]);
    await buildResult(server.db, { ts: at(11) });
    await buildResult(server.db, { ts: at(12) });
    expect(await e.at(12 * M)).toMatchObject({ fired: 1 });
    expect((await alertRows()).map((a) => [a.labels.service, a.count])).toEqual([['api', 3]]);
  });

  it('turns a storm of 1,000 matching results in a minute into a bounded number of grouped notifications', async () => {
    await createRule(server, { channel_ids: [channel, await buildChannel(server.db, 'mail')], conditions: { text_regex: 'timeout after \\d+s' } });
    const e = testEngine(server, T0);
    const services = ['api', 'web', 'billing'];
    for (let n = 0; n < 1000; n++) {
      await buildResult(server.db, { service: services[n % 3]!, message: `request ${n}: timeout after ${n % 60}s` });
      if (n % 200 === 199) await e.at(Math.floor(n / 200) * 10 * S); // ticks at 0, 10, … 40 s
    }
    for (let t = 50; t <= 900; t += 10) await e.at(t * S);
    const sent = await outbox(server.db);
    // 3 groups × (first notification + one group_interval update) × 2 channels, then resolved × 2 channels.
    expect((await alertRows()).map((a) => a.count).reduce((x, y) => x + y)).toBe(1000);
    expect(sent.filter((n) => n.status === 'firing').length).toBe(12);
    expect(sent.filter((n) => n.status === 'resolved').length).toBe(6);
    expect(new Set(sent.map((n) => n.key)).size).toBe(9);
  });

  it('evaluates every result exactly once with two engines side by side', async () => {
    await createRule(server, { channel_ids: [channel] });
    const a = testEngine(server, T0);
    const b = testEngine(server, T0);
    for (let i = 0; i < 50; i++) await buildResult(server.db);
    const reports = await Promise.all([a.engine.runOnce(), b.engine.runOnce(), a.engine.runOnce()]);
    expect(reports.map((r) => r.evaluated).reduce((x, y) => x + y)).toBe(50);
    expect((await alertRows()).map((x) => x.count)).toEqual([50]);
  });
});
