// Property tests: generated hostile bodies on the settings routes an admin uses (rules, rule
// preview, channels, silences, users, API keys; POST and PATCH). A valid body with one field
// replaced, an odd key added, a hostile regular expression, or no valid shape at all: never a 5xx,
// and every refusal is a 4xx with the house error shape.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { ENGINES, startTestServer, type TestServer } from './helpers.js';
import { count, expectErrorShape, expectNo5xx, fuzzRuns, garbageBytes, hostileKey, hostileValue, objectOf, printTally, toJson, withInvalidUtf8, type Tree } from './fuzz-arbitraries.js';

const engine = ENGINES.at(-1)!;

/** A pattern built from regex syntax pieces: RE2 must refuse it with a reason or accept it, never crash. */
const regexLike = fc.array(fc.constantFrom('(', ')', '[', ']', '{', '}', '{2,}', '{1,1000}', '*', '+', '?', '|', '\\', 'a', '1', ',', '^', '$', '.', '\\p{', '\\p{Han}',
  '(?<', '(?P<n>', '(?i)', '(?=', '\\1', '\\k<n>', '\\u00', '\\x{', 'é', '数', '\\b', '[^', '-'), { minLength: 1, maxLength: 40 }).map((a) => a.join(''));

interface Route { method: 'POST' | 'PATCH'; url: () => string; base: () => Record<string, Tree>; regexPaths?: string[][] }

describe(`fuzzing the settings routes on ${engine}`, () => {
  let s: TestServer;
  const ids = { rule: '', channel: '', user: '' };
  let n = 0;
  beforeAll(async () => {
    // The admin routes' rate limit (its own tests elsewhere) would answer most of a long run with
    // 429 before the body is read: off here, so every case reaches validation.
    s = await startTestServer(engine, { RATE_LIMIT_API_PER_MIN: '0' });
    const make = async (url: string, payload: object): Promise<string> => {
      const res = await s.app.inject({ method: 'POST', url, payload });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: string }>().id;
    };
    ids.rule = await make('/api/v1/rules', { name: 'fuzz target', conditions: { services: ['api'] } });
    ids.channel = await make('/api/v1/channels', { name: 'fuzz target', type: 'slack', config: { url: 'https://hooks.slack.com/services/x' } });
    ids.user = await make('/api/v1/users', { username: 'fuzz-target', password: 'a long enough password 1', role: 'viewer' });
  });
  afterAll(async () => {
    printTally();
    await s.cleanup();
  });

  const rule = (): Record<string, Tree> => ({ name: `rule ${n++}`, conditions: { services: ['api'], min_severity: 'high', text_regex: 'timeout after \\d+s' }, threshold: { count: 2, window_minutes: 5 } });
  const channel = (): Record<string, Tree> => ({ name: `channel ${n++}`, type: 'webhook', config: { url: 'https://example.com/hook' } });
  const ROUTES: Route[] = [
    { method: 'POST', url: () => '/api/v1/rules', base: rule, regexPaths: [['conditions', 'text_regex']] },
    { method: 'PATCH', url: () => `/api/v1/rules/${ids.rule}`, base: rule, regexPaths: [['conditions', 'text_regex']] },
    { method: 'POST', url: () => '/api/v1/rules/preview', base: rule, regexPaths: [['conditions', 'text_regex']] },
    { method: 'POST', url: () => '/api/v1/channels', base: channel },
    { method: 'PATCH', url: () => `/api/v1/channels/${ids.channel}`, base: () => ({ name: `channel ${n++}`, enabled: false, config: { url: 'https://example.com/x' } }) },
    { method: 'POST', url: () => '/api/v1/silences', base: () => ({ matchers: [{ name: 'service', value: 'api-.*', is_regex: true }], duration_minutes: 10, comment: 'fuzz' }), regexPaths: [['matchers', '0', 'value']] },
    { method: 'POST', url: () => '/api/v1/users', base: () => ({ username: `fuzz${n++}`, password: 'a long enough password 1', role: 'viewer' }) },
    { method: 'PATCH', url: () => `/api/v1/users/${ids.user}`, base: () => ({ role: 'editor', disabled: false }) },
    { method: 'POST', url: () => '/api/v1/api-keys', base: () => ({ name: `key ${n++}`, scopes: ['ingest'] }) },
  ];

  /** The base body with the value at `path` replaced (a path into a missing object creates it). */
  function replaced(body: Record<string, Tree>, path: string[], value: Tree): Record<string, Tree> {
    const copy = structuredClone(body);
    let at: Record<string, Tree> = copy;
    for (const k of path.slice(0, -1)) {
      const next = at[k];
      at = (typeof next === 'object' && next !== null && !Array.isArray(next) && !('raw' in next) ? next : (at[k] = {}));
    }
    Object.defineProperty(at, path.at(-1)!, { value, enumerable: true, configurable: true, writable: true });
    return copy;
  }

  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('field' as const), pick: fc.nat(), value: hostileValue }),
    fc.record({ kind: fc.constant('extra' as const), key: hostileKey, value: hostileValue }),
    fc.record({ kind: fc.constant('regex' as const), pattern: fc.oneof(regexLike, fc.string({ unit: 'grapheme', maxLength: 300 })) }),
    fc.record({ kind: fc.constant('whole' as const), value: hostileValue }),
    fc.record({ kind: fc.constant('bytes' as const), bytes: garbageBytes }),
  );

  /** Every path to a leaf or object of the base body: the fields a mutation may replace. */
  function paths(o: Tree, prefix: string[] = []): string[][] {
    if (typeof o !== 'object' || o === null || 'raw' in o) return [prefix];
    const own = Object.keys(o).flatMap((k) => paths((o as Record<string, Tree>)[k]!, [...prefix, k]));
    return prefix.length === 0 ? own : [prefix, ...own];
  }

  function bodyFor(r: Route, m: typeof mutation extends fc.Arbitrary<infer A> ? A : never): Buffer {
    const base = r.base();
    if (m.kind === 'bytes') return m.bytes;
    if (m.kind === 'whole') return withInvalidUtf8(toJson(m.value));
    if (m.kind === 'extra') return withInvalidUtf8(toJson(objectOf([...Object.entries(base), [m.key, m.value]])));
    if (m.kind === 'regex') {
      const path = r.regexPaths?.[0];
      return Buffer.from(toJson(path ? replaced(base, path, m.pattern) : base));
    }
    const all = paths(base);
    return withInvalidUtf8(toJson(replaced(base, all[m.pick % all.length]!, m.value)));
  }

  it('accepts each base body unchanged, so the mutations below start from a valid request', async () => {
    for (const r of ROUTES) {
      const res = await s.app.inject({ method: r.method, url: r.url(), payload: r.base() });
      expect(res.statusCode, `${r.method} ${r.url()} ${res.body}`).toBeLessThan(300);
    }
  });

  it('answers every hostile body with a 2xx or a 4xx in the error shape, never a 5xx', async () => {
    await fc.assert(fc.asyncProperty(fc.constantFrom(...ROUTES), mutation, async (r, m) => {
      const payload = bodyFor(r, m);
      const res: LightMyRequestResponse = await s.app.inject({ method: r.method, url: r.url(), payload, headers: { 'content-type': 'application/json' } });
      count(`${r.method} ${r.url().replace(/\/[0-9a-f-]{8,}$/, '/:id')}`, res);
      const what = `${r.method} ${r.url()} ${m.kind} ${payload.toString('utf8').slice(0, 300)}`;
      expectNo5xx(res, what);
      expect([200, 201, 204, 400, 404, 409, 413, 415, 422], what).toContain(res.statusCode);
      if (res.statusCode >= 400) expectErrorShape(res, what);
      if (m.kind === 'regex' && res.statusCode === 400) expect(res.json<{ error: { message: string } }>().error.message.length, what).toBeGreaterThan(0);
    }), { numRuns: fuzzRuns(1) });
    expect((await s.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});
