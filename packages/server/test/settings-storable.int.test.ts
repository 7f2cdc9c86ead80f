// Values PostgreSQL cannot store, sent in settings bodies: each was a 500 (found by the settings
// property tests) and is now a 400 naming the field, with nothing stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from './helpers.js';

describe.each(ENGINES)('unstorable values in settings bodies on %s', (engine) => {
  let s: TestServer;
  let ruleId = '';
  const rule = { name: 'storable', conditions: { min_severity: 'high' } };
  beforeAll(async () => {
    s = await startTestServer(engine);
    ruleId = (await s.app.inject({ method: 'POST', url: '/api/v1/rules', payload: rule })).json<{ id: string }>().id;
  });
  afterAll(() => s.cleanup());

  const cases: [string, 'POST' | 'PATCH', () => string, unknown, string][] = [
    ['a threshold of "Infinity"', 'POST', () => '/api/v1/rules', { ...rule, threshold: { count: 'Infinity', window_minutes: 5 } }, 'threshold/count'],
    ['a wait of "1e309"', 'POST', () => '/api/v1/rules', { ...rule, group_wait_seconds: '1e309' }, 'group_wait_seconds'],
    ['an "Infinity" on PATCH', 'PATCH', () => `/api/v1/rules/${ruleId}`, { resolve_after_minutes: 'Infinity' }, 'resolve_after_minutes'],
    ['a preview with "Infinity"', 'POST', () => '/api/v1/rules/preview', { ...rule, threshold: { count: 'Infinity', window_minutes: 5 } }, 'threshold/count'],
    ['a NUL in a rule name', 'POST', () => '/api/v1/rules', { ...rule, name: 'a\u0000b' }, 'name'],
    ['a lone surrogate in conditions', 'POST', () => '/api/v1/rules', { ...rule, conditions: { text_contains: '\ud800x' } }, 'conditions/text_contains'],
    ['a NUL in a channel name', 'POST', () => '/api/v1/channels', { name: 'x\u0000', type: 'webhook', config: { url: 'https://example.com/hook' } }, 'name'],
  ];

  it.each(cases)('answers 400 naming the field for %s', async (_what, method, url, payload, field) => {
    const before = await s.db.query<{ n: number }>('SELECT count(*)::int AS n FROM alert_rules');
    const r = await s.app.inject({ method, url: url(), payload: payload as object });
    expect(r.statusCode, r.body).toBe(400);
    const body = r.json<{ error: { code: string; details: { field: string }[] } }>();
    expect(body.error.code).toBe('bad_request');
    expect(body.error.details[0]?.field).toBe(field);
    const after = await s.db.query<{ n: number }>('SELECT count(*)::int AS n FROM alert_rules');
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
  });

  it('still accepts the same bodies with storable values', async () => {
    const r = await s.app.inject({ method: 'POST', url: '/api/v1/rules', payload: { ...rule, name: 'a😀b', threshold: { count: 3, window_minutes: 5 } } });
    expect(r.statusCode, r.body).toBe(201);
  });
});
