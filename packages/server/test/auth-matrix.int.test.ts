import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { startTestServer, type TestServer } from './helpers.js';
import { apiKey, ORIGIN, userSession } from './auth-helpers.js';

type Caller = 'anonymous' | 'viewer' | 'editor' | 'admin' | 'key:ingest' | 'key:read' | 'key:admin';
const CALLERS: Caller[] = ['anonymous', 'viewer', 'editor', 'admin', 'key:ingest', 'key:read', 'key:admin'];

// The specification, written out rather than derived from the code under test.
const GRANTED: Record<Caller, string[]> = {
  anonymous: ['public'],
  viewer: ['public', 'read'],
  editor: ['public', 'read', 'edit'],
  admin: ['public', 'ingest', 'read', 'edit', 'admin'],
  'key:ingest': ['public', 'ingest'],
  'key:read': ['public', 'read'],
  'key:admin': ['public', 'ingest', 'read', 'edit', 'admin'],
};

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe('role × route matrix (every route in the route table, every role, anonymous)', () => {
  let s: TestServer;
  const headers: Partial<Record<Caller, Record<string, string>>> = {};

  beforeAll(async () => {
    s = await startTestServer('pglite', { RATE_LIMIT_LOGIN_PER_MIN: '0', RATE_LIMIT_API_PER_MIN: '0' });
    headers.anonymous = {};
    for (const role of ['viewer', 'editor', 'admin'] as const) headers[role] = { cookie: (await userSession(s, role)).cookie, origin: ORIGIN };
    for (const scope of ['ingest', 'read', 'admin'] as const) headers[`key:${scope}`] = { authorization: `Bearer ${(await apiKey(s, [scope])).key}` };
  });
  afterAll(() => s.cleanup());

  it('has every route declare one of the five access levels', () => {
    expect(s.security.routes.length).toBeGreaterThan(10);
    for (const r of s.security.routes) expect(['public', 'ingest', 'read', 'edit', 'admin'], `${r.method} ${r.url}`).toContain(r.access);
    const find = (m: string, u: string) => s.security.routes.find((r) => r.method === m && r.url === u)?.access;
    expect(find('POST', '/api/v1/logs')).toBe('ingest');
    expect(find('GET', '/api/v1/logs')).toBe('read');
    expect(find('GET', '/healthz')).toBe('public');
    expect(find('GET', '/metrics')).toBe('read');
    expect(find('GET', '/api/docs')).toBe('read');
    expect(find('POST', '/api/v1/users')).toBe('admin');
    expect(find('GET', '/api/v1/audit')).toBe('admin');
  });

  it('allows or denies every route to every caller exactly as specified', async () => {
    // Logout is sent last: it ends the caller's session.
    const routes = [...s.security.routes].sort((a, b) => Number(a.url.endsWith('/logout')) - Number(b.url.endsWith('/logout')));
    const wrong: string[] = [];
    for (const caller of CALLERS) {
      for (const r of routes) {
        const url = r.url.replace(/:[A-Za-z_]+/g, UNKNOWN_ID).replace(/\*$/, 'index.html');
        const opts: InjectOptions = { method: r.method, url, headers: headers[caller] };
        if (['POST', 'PUT', 'PATCH'].includes(r.method)) opts.payload = {};
        const res = await s.bare(opts);
        const allowed = GRANTED[caller].includes(r.access);
        const denied = res.statusCode === 401 || res.statusCode === 403;
        const expected = caller === 'anonymous' ? 401 : 403;
        if (allowed && denied) wrong.push(`${caller} ${r.method} ${r.url}: ${res.statusCode}, expected allowed`);
        if (!allowed && res.statusCode !== expected) wrong.push(`${caller} ${r.method} ${r.url}: ${res.statusCode}, expected ${expected}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
