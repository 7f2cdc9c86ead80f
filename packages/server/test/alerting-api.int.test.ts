import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from './helpers.js';
import { buildResult, createRule, resetAlerting, testEngine } from './alerting-helpers.js';

const M = 60_000;

describe.each(ENGINES)('alerting API on %s', (engine) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(engine);
  });
  afterAll(async () => {
    await server.cleanup();
  });
  beforeEach(async () => {
    await resetAlerting(server.db);
  });

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
    server.app.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });

  it('creates, reads, changes, disables and deletes rules, with defaults filled in', async () => {
    const created = await call('POST', '/api/v1/rules', { name: 'Payment errors', conditions: { services: ['payment'], min_severity: 'high' } });
    expect(created.statusCode).toBe(201);
    const rule = created.json<{ id: string }>();
    expect(rule).toMatchObject({
      name: 'Payment errors', enabled: true, threshold: { count: 1, window_minutes: 5 }, group_by: ['service'], notify_resolved: true,
      group_wait_seconds: null, resolve_after_minutes: null, channel_ids: [],
    });
    expect((await call('GET', '/api/v1/rules')).json<{ rules: unknown[] }>().rules).toHaveLength(1);
    const patched = await call('PATCH', `/api/v1/rules/${rule.id}`, { threshold: { count: 10, window_minutes: 2 }, group_by: ['service', 'category'] });
    expect(patched.json()).toMatchObject({ name: 'Payment errors', threshold: { count: 10, window_minutes: 2 }, group_by: ['service', 'category'] });
    expect((await call('POST', `/api/v1/rules/${rule.id}/disable`)).json()).toMatchObject({ enabled: false });
    expect((await call('POST', `/api/v1/rules/${rule.id}/enable`)).json()).toMatchObject({ enabled: true });
    expect((await call('DELETE', `/api/v1/rules/${rule.id}`)).statusCode).toBe(204);
    expect((await call('GET', `/api/v1/rules/${rule.id}`)).statusCode).toBe(404);
    expect((await call('DELETE', `/api/v1/rules/${rule.id}`)).statusCode).toBe(404);
  });

  it('refuses misspelt fields by name and unsafe regular expressions with a 400 saying what to change', async () => {
    const misspelt = await call('POST', '/api/v1/rules', { name: 'x', conditions: {}, channels: ['c1'] });
    expect(misspelt.statusCode).toBe(400);
    expect(misspelt.json().error.details).toEqual([{ field: 'channels', reason: 'is not a known field' }]);
    const nestedExtra = await call('POST', '/api/v1/rules', { name: 'x', conditions: { service: 'api' } });
    expect(nestedExtra.json().error.details).toEqual([{ field: 'conditions/service', reason: 'is not a known field' }]);
    for (const [method, path, body] of [
      ['POST', '/api/v1/silences', { matchers: [{ name: 'service', value: 'api' }], duration: 60 }],
      ['POST', '/api/v1/channels', { name: 'c', type: 'slack', config: { url: 'https://hooks.slack.com/services/x' }, enable: true }],
    ] as const) {
      const r = await call(method, path, body);
      expect(r.statusCode, path).toBe(400);
      expect(r.json().error.message, path).toMatch(/is not a known field/);
    }
    const backref = await call('POST', '/api/v1/rules', { name: 'x', conditions: { text_regex: '(a+)\\1' } });
    expect(backref.statusCode).toBe(400);
    expect(backref.json()).toMatchObject({ error: { code: 'bad_request', message: expect.stringMatching(/^conditions\.text_regex: backreferences/) } });
    const look = await call('POST', '/api/v1/rules/preview', { name: 'x', conditions: { text_regex: '(?=admin)' } });
    expect(look.json()).toMatchObject({ error: { message: expect.stringContaining('lookarounds') } });
    const badSilence = await call('POST', '/api/v1/silences', { matchers: [{ name: 'service', value: '(\\w+)\\1', is_regex: true }] });
    expect(badSilence.statusCode).toBe(400);
  });

  it('previews how many alerts a rule would have raised over the last 24 hours, per group', async () => {
    const now = Date.now();
    const at = (minAgo: number) => new Date(now - minAgo * M).toISOString();
    for (const m of [300, 298, 296, 100, 30]) await buildResult(server.db, { ts: at(m), service: 'payment' });
    await buildResult(server.db, { ts: at(20), service: 'web', severity: 'low' });
    await buildResult(server.db, { ts: at(25 * 60), service: 'payment' }); // older than a day
    const preview = (body: Record<string, unknown>) =>
      call('POST', '/api/v1/rules/preview', { name: 'p', conditions: { min_severity: 'high' }, ...body }).then((r) => r.json<Record<string, unknown>>());
    expect(await preview({ resolve_after_minutes: 60 })).toMatchObject({
      matched: 5, alerts: 3, truncated: false, groups: [{ labels: { service: 'payment' }, alerts: 3, matches: 5 }],
    });
    expect(await preview({ resolve_after_minutes: 60, threshold: { count: 3, window_minutes: 5 } })).toMatchObject({ matched: 5, alerts: 1 });
    expect(await preview({ conditions: { text_regex: 'timeout after \\d+s' }, group_by: ['severity'] })).toMatchObject({ matched: 6, alerts: 4 });
  });

  it('lists alerts with filters, shows one with its history, acknowledges it once', async () => {
    const ruleId = await createRule(server, {});
    await buildResult(server.db, { service: 'api', severity: 'critical' });
    await buildResult(server.db, { service: 'web', severity: 'medium' });
    await testEngine(server, Date.now()).at(0);
    const list = async (q: string) => (await call('GET', `/api/v1/alerts${q}`)).json<{ alerts: { id: string; labels: { service: string } }[] }>().alerts;
    expect((await list('')).map((a) => a.labels.service)).toEqual(['web', 'api']);
    expect((await list('?service=api')).map((a) => a.labels.service)).toEqual(['api']);
    expect((await list('?severity=medium&state=firing')).map((a) => a.labels.service)).toEqual(['web']);
    expect(await list(`?rule=${ruleId}&state=resolved`)).toEqual([]);
    expect(await list(`?from=${encodeURIComponent(new Date(Date.now() - M).toISOString())}`)).toHaveLength(2);
    const [web, api] = await list('');
    expect((await list(`?before=${web!.id}`)).map((a) => a.id)).toEqual([api!.id]);
    const first = await call('POST', `/api/v1/alerts/${api!.id}/ack`);
    expect(first.json()).toMatchObject({ acked_by: expect.stringMatching(/^test admin/), count: 1, severity: 'critical', summary: 'database unreachable' });
    await call('POST', `/api/v1/alerts/${api!.id}/ack`);
    const one = (await call('GET', `/api/v1/alerts/${api!.id}`)).json<{ history: { event: string }[]; sample_message: string }>();
    expect(one.history.map((h) => h.event)).toEqual(['firing', 'acked']);
    expect(one.sample_message).toContain('timeout after 30s');
    expect((await call('GET', '/api/v1/alerts/12345')).statusCode).toBe(404);
    expect((await call('GET', '/api/v1/alerts/not-a-number')).statusCode).toBe(404);
    expect((await call('GET', '/api/v1/alerts?from=yesterday')).statusCode).toBe(400);
  });

  it('resolves the firing alerts of a deleted rule and keeps their history', async () => {
    const ruleId = await createRule(server, {});
    await buildResult(server.db);
    await testEngine(server, Date.now()).at(0);
    await call('DELETE', `/api/v1/rules/${ruleId}`);
    const [alert] = (await call('GET', '/api/v1/alerts')).json<{ alerts: { id: string; state: string; rule_id: string | null; rule_name: string }[] }>().alerts;
    expect(alert).toMatchObject({ state: 'resolved', rule_id: null, rule_name: 'DB errors' });
    expect((await call('GET', `/api/v1/alerts/${alert!.id}`)).json<{ history: { event: string }[] }>().history.map((h) => h.event)).toEqual(['firing', 'resolved']);
  });

  it('lists silences in force, and expired ones on request', async () => {
    const s = await call('POST', '/api/v1/silences', { matchers: [{ name: 'service', value: 'api' }], duration_minutes: 10 });
    expect(s.json()).toMatchObject({ state: 'active', created_by: expect.stringMatching(/^test admin/), matchers: [{ name: 'service', value: 'api' }] });
    const future = await call('POST', '/api/v1/silences', {
      matchers: [{ name: 'rule', value: 'DB errors' }], starts_at: new Date(Date.now() + 60 * M).toISOString(), ends_at: new Date(Date.now() + 120 * M).toISOString(),
    });
    expect(future.json()).toMatchObject({ state: 'pending' });
    const backwards = await call('POST', '/api/v1/silences', { matchers: [{ name: 'service', value: 'api' }], ends_at: new Date(Date.now() - M).toISOString() });
    expect(backwards.statusCode).toBe(400);
    await call('DELETE', `/api/v1/silences/${s.json<{ id: string }>().id}`);
    expect((await call('GET', '/api/v1/silences')).json<{ silences: unknown[] }>().silences).toHaveLength(1);
    expect((await call('GET', '/api/v1/silences?expired=true')).json<{ silences: unknown[] }>().silences).toHaveLength(2);
    expect((await call('DELETE', '/api/v1/silences/nope')).statusCode).toBe(404);
  });
});
