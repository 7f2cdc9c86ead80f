// Alert rules of kind incident: the API accepts only the conditions an incident has, and each
// matching rule keeps one alert per incident, notified by the engine's timing, linked to the
// incident's page, and resolved with the incident (never by a quiet period).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applyIncidentUpdate, type IncidentUpdate } from '../src/modules/alerting/index.js';
import { hasPostgres, startTestServer, type TestServer } from './helpers.js';
import { buildChannel, buildResult, createRule, outbox, resetAlerting, testEngine } from './alerting-helpers.js';
import { createChannel, testWorker } from './notify-helpers.js';
import { startHttpReceiver, type HttpReceiver } from './receivers/http.js';

const S = 1000;
const M = 60 * S;

describe.runIf(hasPostgres())('incident rules (postgres)', () => {
  let server: TestServer;
  let channel: string;
  let T0 = 0;

  beforeAll(async () => {
    server = await startTestServer('postgres', { OUTBOUND_ALLOW: '127.0.0.1' });
  });
  afterAll(async () => {
    await server?.cleanup();
  });
  beforeEach(async () => {
    await resetAlerting(server.db);
    channel = await buildChannel(server.db);
    T0 = Date.now();
  });

  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: Record<string, unknown>) =>
    server.app.inject({ method, url, ...(payload === undefined ? {} : { payload }) });
  /** An incident update stating only what a test cares about. */
  const update = (over: Partial<IncidentUpdate> = {}): IncidentUpdate => ({
    incidentId: 'inc_a', state: 'open', severity: 'high', title: 'New error template in payment', services: ['payment'],
    signalCount: 1, openedMs: T0, lastSignalMs: T0, sample: 'payment failed: card declined', ...over,
  });
  const apply = (u: IncidentUpdate, at: number) => server.db.transaction((tx) => applyIncidentUpdate(tx, u, at));
  const alertRows = async () =>
    (await server.db.query<{ id: string; rule_id: string; state: string; count: number; labels: Record<string, string>; summary: string; root_cause: string; suggestion: string; severity: string }>(
      'SELECT id::text AS id, rule_id, state, count::int AS count, labels, summary, root_cause, suggestion, severity FROM alerts ORDER BY id',
    )).rows;
  const history = async (id: string) =>
    (await server.db.query<{ event: string }>('SELECT event FROM alert_history WHERE alert_id = $1 ORDER BY id', [id])).rows.map((r) => r.event);

  it('refuses result-only conditions on an incident rule, naming each, and stores and lists the kind', async () => {
    const refused = await call('POST', '/api/v1/rules', { kind: 'incident', name: 'x', conditions: { min_severity: 'high', levels: ['error'], text_contains: 'boom' } });
    expect(refused.statusCode).toBe(400);
    const err = refused.json<{ error: { code: string; message: string; details: { field: string }[] } }>().error;
    expect(err.code).toBe('bad_request');
    expect(err.details.map((d) => d.field)).toEqual(['conditions.levels', 'conditions.text_contains']);
    expect(err.message).toContain('conditions.levels');
    expect((await call('POST', '/api/v1/rules', { kind: 'outage', name: 'x', conditions: {} })).statusCode).toBe(400);

    const created = await call('POST', '/api/v1/rules', { kind: 'incident', name: 'Payment incidents', conditions: { min_severity: 'high', services: ['payment'], service_pattern: 'pay*' } });
    expect(created.statusCode, created.body).toBe(201);
    const rule = created.json<{ id: string; kind: string }>();
    expect(rule.kind).toBe('incident');
    await createRule(server, { name: 'Errors' });
    const listed = (await call('GET', '/api/v1/rules')).json<{ rules: { id: string; name: string; kind: string }[] }>().rules;
    expect(listed.map((r) => [r.name, r.kind])).toEqual([['Errors', 'result'], ['Payment incidents', 'incident']]);

    const patched = await call('PATCH', `/api/v1/rules/${rule.id}`, { conditions: { anomaly: true } });
    expect(patched.statusCode).toBe(400);
    expect(patched.json<{ error: { details: { field: string }[] } }>().error.details).toEqual([expect.objectContaining({ field: 'conditions.anomaly' })]);
    expect((await call('GET', `/api/v1/rules/${rule.id}`)).json()).toMatchObject({ kind: 'incident', conditions: { services: ['payment'] } });
    // A result rule turned into an incident rule keeps only conditions an incident has.
    expect((await call('PATCH', `/api/v1/rules/${listed[0]!.id}`, { kind: 'incident' })).json()).toMatchObject({ kind: 'incident' });
    const preview = await call('POST', '/api/v1/rules/preview', { kind: 'incident', name: 'p', conditions: {} });
    expect(preview.statusCode).toBe(400);
  });

  it('opens one alert per matching rule and incident, filtered by severity and services; result rules and incidents stay apart', async () => {
    const payment = await createRule(server, { kind: 'incident', name: 'payment', conditions: { min_severity: 'high', services: ['payment'] }, channel_ids: [channel] });
    const pattern = await createRule(server, { kind: 'incident', name: 'pay*', conditions: { service_pattern: 'pay*' }, channel_ids: [channel] });
    const critical = await createRule(server, { kind: 'incident', name: 'critical only', conditions: { min_severity: 'critical' }, channel_ids: [channel] });
    await createRule(server, { kind: 'incident', name: 'disabled', enabled: false, conditions: {}, channel_ids: [channel] });
    const results = await createRule(server, { name: 'every result', conditions: {}, channel_ids: [channel] });

    expect(await apply(update({ services: ['payment', 'db'] }), T0)).toBe(2);
    let rows = await alertRows();
    expect(rows.map((a) => a.rule_id).sort()).toEqual([payment, pattern].sort());
    for (const a of rows) {
      expect(a).toMatchObject({ state: 'firing', count: 1, severity: 'high', summary: 'New error template in payment', labels: { incident: 'inc_a', service: 'payment' } });
      expect(await history(a.id)).toEqual(['firing']);
    }

    // Another incident: critical, in a service neither named nor matching the pattern.
    expect(await apply(update({ incidentId: 'inc_b', severity: 'critical', services: ['web'] }), T0)).toBe(1);
    rows = await alertRows();
    expect(rows.filter((a) => a.labels.incident === 'inc_b').map((a) => a.rule_id)).toEqual([critical]);
    // A medium incident in payment: only the rule without min_severity.
    expect(await apply(update({ incidentId: 'inc_c', severity: 'medium' }), T0)).toBe(1);
    expect((await alertRows()).filter((a) => a.labels.incident === 'inc_c').map((a) => a.rule_id)).toEqual([pattern]);

    // Results reach the result rule only; incident rules ignore them even with no conditions that exclude them.
    const e = testEngine(server, T0);
    await buildResult(server.db, { service: 'payment', severity: 'critical' });
    expect(await e.at(0)).toMatchObject({ evaluated: 1, fired: 1 });
    const fromResults = (await alertRows()).filter((a) => a.labels.incident === undefined);
    expect(fromResults.map((a) => a.rule_id)).toEqual([results]);
  });

  it('updates the same alert as the incident grows and gets its story, notifies through the timing, and resolves with the incident', async () => {
    const rule = await createRule(server, { kind: 'incident', name: 'payment', conditions: { services: ['payment'] }, channel_ids: [channel] });
    const e = testEngine(server, T0);
    expect(await apply(update(), T0)).toBe(1);
    await e.at(29 * S);
    expect(await outbox(server.db)).toEqual([]);
    await e.at(30 * S); // group wait over: round 1
    let sent = await outbox(server.db);
    expect(sent.map((n) => [n.status, n.count, n.labels.incident])).toEqual([['firing', 1, 'inc_a']]);
    const payloads = async () => (await server.db.query<{ payload: { path?: string; summary: string; rootCause: string } }>('SELECT payload FROM notify_outbox ORDER BY id')).rows.map((r) => r.payload);
    expect((await payloads())[0]).toMatchObject({ path: '/incidents/inc_a' });

    // It grows: the same alert, counting signals; a new service does not change its identity.
    expect(await apply(update({ signalCount: 3, services: ['payment', 'db'], lastSignalMs: T0 + M }), T0 + M)).toBe(0);
    // Its story arrives: the title, first cause and next steps become the alert's text.
    const story = { title: 'Card processor rejects payments', firstCause: 'the card processor certificate expired', nextSteps: ['renew the certificate', 'retry the failed payments'] };
    expect(await apply(update({ signalCount: 3, lastSignalMs: T0 + M, ...story }), T0 + 2 * M)).toBe(0);
    const [alert, ...others] = await alertRows();
    expect(others).toEqual([]);
    expect(alert).toMatchObject({
      rule_id: rule, state: 'firing', count: 3, summary: story.title, root_cause: story.firstCause, suggestion: 'renew the certificate; retry the failed payments',
    });
    await e.at(30 * S + 5 * M); // group interval after round 1: the news (more signals, the story) is sent
    sent = await outbox(server.db);
    expect(sent.map((n) => [n.status, n.count])).toEqual([['firing', 1], ['firing', 3]]);
    expect((await payloads())[1]).toMatchObject({ summary: story.title, rootCause: story.firstCause, path: '/incidents/inc_a' });

    // Hours without a new signal do not resolve it: the incident is still open.
    await e.at(3 * 60 * M);
    expect((await alertRows())[0]!.state).toBe('firing');

    expect(await apply(update({ state: 'resolved', signalCount: 3, lastSignalMs: T0 + M, ...story }), T0 + 3 * 60 * M + S)).toBe(1);
    expect((await alertRows())[0]!.state).toBe('resolved');
    sent = await outbox(server.db);
    expect(sent.at(-1)).toMatchObject({ status: 'resolved', count: 3, key: `${alert!.id}:resolved:2` });
    expect(await history(alert!.id)).toEqual(['firing', 'notified', 'notified', 'resolved', 'notified']);
    // A repeated resolved update changes nothing.
    expect(await apply(update({ state: 'resolved' }), T0 + 3 * 60 * M + 2 * S)).toBe(0);
    expect((await outbox(server.db)).length).toBe(sent.length);
  });

  it('sends a story that arrives after the first notification at the group interval, without waiting for the repeat', async () => {
    await createRule(server, { kind: 'incident', name: 'payment', conditions: {}, channel_ids: [channel] });
    const e = testEngine(server, T0);
    await apply(update(), T0);
    await e.at(30 * S);
    await apply(update({ title: 'Card processor rejects payments', firstCause: 'an expired certificate', nextSteps: ['renew it'] }), T0 + M);
    await e.at(30 * S + 5 * M - S);
    expect((await outbox(server.db)).length).toBe(1);
    await e.at(30 * S + 5 * M);
    const sent = (await server.db.query<{ payload: { count: number; summary: string; rootCause: string } }>('SELECT payload FROM notify_outbox ORDER BY id')).rows.map((r) => r.payload);
    expect(sent.map((n) => [n.count, n.summary, n.rootCause])).toEqual([
      [1, 'New error template in payment', ''], [1, 'Card processor rejects payments', 'an expired certificate'],
    ]);
    // The same story again is no news.
    await apply(update({ title: 'Card processor rejects payments', firstCause: 'an expired certificate' }), T0 + 6 * M);
    await e.at(30 * S + 10 * M);
    expect((await outbox(server.db)).length).toBe(2);
  });

  it('resolves without a notification when the alert was never notified', async () => {
    await createRule(server, { kind: 'incident', name: 'payment', conditions: {}, channel_ids: [channel] });
    await apply(update(), T0);
    expect(await apply(update({ state: 'resolved' }), T0 + 10 * S)).toBe(1);
    const [alert] = await alertRows();
    expect(alert!.state).toBe('resolved');
    expect(await history(alert!.id)).toEqual(['firing', 'resolved']);
    expect(await outbox(server.db)).toEqual([]);
  });

  describe('delivery', () => {
    let hook: HttpReceiver;
    beforeAll(async () => {
      hook = await startHttpReceiver();
    });
    afterAll(async () => {
      await hook?.close();
    });

    it('a webhook receives the incident alert through the notify worker, linking to the incident page', async () => {
      const ch = await createChannel(server, { type: 'webhook', config: { url: `${hook.url}/incident-hook` } });
      await createRule(server, { kind: 'incident', name: 'All incidents', conditions: { min_severity: 'medium' }, channel_ids: [ch.id] });
      const e = testEngine(server, T0);
      await apply(update({ incidentId: 'inc_webhook', title: 'Error share up in payment' }), T0);
      await e.at(30 * S);
      const worker = testWorker(server, { now: () => T0 + 31 * S });
      try {
        expect(await worker.runOnce()).toBe(1);
      } finally {
        await worker.stop();
      }
      const got = hook.requests.filter((r) => r.path === '/incident-hook');
      expect(got).toHaveLength(1);
      const body = JSON.parse(got[0]!.body) as { status: string; summary: string; labels: Record<string, string>; url: string; sampleMessage: string };
      expect(body).toMatchObject({
        status: 'firing', summary: 'Error share up in payment', labels: { incident: 'inc_webhook', service: 'payment' },
        url: 'https://logsage.example.com/incidents/inc_webhook', sampleMessage: 'payment failed: card declined',
      });
    });
  });
});
