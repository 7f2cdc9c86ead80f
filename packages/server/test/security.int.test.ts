import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Redis } from 'ioredis';
import type { LightMyRequestResponse } from 'fastify';
import { buildLog, ENGINES, hasPostgres, startRelayedTestServer, startTestServer, type TestServer } from './helpers.js';
import { apiKey, login, ORIGIN, userSession } from './auth-helpers.js';

const capture = () => {
  const lines: string[] = [];
  return { lines, log: pino({ level: 'trace' }, { write: (l: string) => void lines.push(l) }) };
};

describe.each(ENGINES)('secrets on %s', (engine) => {
  const ADMIN = 'PLANTED-admin-pass-7c1e0b';
  const SMTP = 'PLANTED-smtp-secret-9f3a55';
  const WEBHOOK = 'PLANTED-webhook-secret-42d0aa';
  let s: TestServer;
  const logs = capture();
  beforeAll(async () => {
    s = await startTestServer(engine, { ADMIN_PASSWORD: ADMIN, LOG_LEVEL: 'trace' }, logs.log);
  });
  afterAll(() => s.cleanup());

  it('never shows a planted password, key, SMTP password or webhook secret in a response or a log line', async () => {
    const responses: LightMyRequestResponse[] = [];
    const send = async (o: Parameters<TestServer['bare']>[0]) => (responses.push(await s.bare(o)), responses.at(-1)!);
    const adminAuth = { authorization: `Bearer ${s.keys.admin}` };
    const created = await s.app.inject({ method: 'POST', url: '/api/v1/api-keys', payload: { name: 'planted', scopes: ['ingest', 'read'] } });
    const KEY = created.json().key as string; // this one answer is the only place the key may appear
    await send({ method: 'POST', url: '/api/v1/auth/login', headers: { origin: ORIGIN }, payload: { username: 'admin', password: ADMIN } });
    await send({ method: 'POST', url: '/api/v1/auth/login', headers: { origin: ORIGIN }, payload: { username: 'admin', password: `${ADMIN}x` } });
    await send({ method: 'POST', url: '/api/v1/auth/login', headers: { origin: ORIGIN }, payload: { username: ADMIN, password: SMTP } });
    await send({ method: 'POST', url: '/api/v1/auth/login', payload: `{"username":"admin","password":"${ADMIN}`, headers: { 'content-type': 'application/json' } });
    await send({ method: 'POST', url: '/api/v1/users', headers: adminAuth, payload: { username: 'mailer', password: SMTP, role: 'viewer', smtp_password: SMTP } });
    await send({ method: 'POST', url: '/api/v1/users', headers: adminAuth, payload: { username: 'bad name!', password: SMTP, role: 'root' } });
    await send({ method: 'GET', url: '/api/v1/users', headers: adminAuth });
    await send({ method: 'GET', url: '/api/v1/api-keys', headers: adminAuth });
    await send({ method: 'POST', url: '/api/v1/api-keys', headers: adminAuth, payload: `{"name":"x","smtp_password":"${SMTP}"` });
    await send({ method: 'POST', url: '/api/v1/logs', headers: { authorization: `Bearer ${KEY}` }, payload: buildLog() });
    await send({ method: 'POST', url: '/api/v1/logs', headers: { 'x-api-key': `${KEY}x` }, payload: buildLog() });
    await send({ method: 'GET', url: '/api/v1/logs', headers: { authorization: `Basic ${Buffer.from(`u:${KEY}`).toString('base64')}` } });
    await send({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${KEY}` } });
    await send({ method: 'GET', url: `/api/v1/nothing?key=${KEY}`, headers: adminAuth });
    const email = await send({
      method: 'POST', url: '/api/v1/channels', headers: adminAuth,
      payload: { name: 'mail', type: 'email', config: { host: 'smtp.example.com', port: 587, security: 'starttls', username: 'ops', password: SMTP, from: 'ls@example.com', to: ['ops@example.com'] } },
    });
    expect(email.statusCode).toBe(201);
    const hook = await send({ method: 'POST', url: '/api/v1/channels', headers: adminAuth, payload: { name: 'hook', type: 'webhook', config: { url: 'https://hooks.example.com/x', secret: WEBHOOK } } });
    expect(hook.statusCode).toBe(201);
    await send({ method: 'GET', url: '/api/v1/channels', headers: adminAuth });
    await send({ method: 'GET', url: `/api/v1/channels/${email.json().id}`, headers: adminAuth });
    await send({ method: 'PATCH', url: `/api/v1/channels/${hook.json().id}`, headers: adminAuth, payload: { name: 'hook2' } });
    await send({ method: 'PATCH', url: `/api/v1/channels/${hook.json().id}`, headers: adminAuth, payload: { config: { url: 'ftp://bad', secret: WEBHOOK } } });
    const audit = await send({ method: 'GET', url: '/api/v1/audit?limit=1000', headers: adminAuth });
    // Routes of other modules are audited without their cooperation: who, what, which resource.
    expect(audit.json().entries).toEqual(expect.arrayContaining([
      expect.objectContaining({ action: 'POST /api/v1/channels', target: email.json().id, actor_kind: 'key', status: 201 }),
      expect.objectContaining({ action: 'PATCH /api/v1/channels/:id', target: hook.json().id, actor_name: expect.stringMatching(/^test admin/) }),
    ]));
    expect(responses.map((r) => r.statusCode)).toContain(401);
    expect(responses.map((r) => r.statusCode)).toContain(400);
    const everything = [...responses.map((r) => `${JSON.stringify(r.headers)}\n${r.body}`), ...logs.lines].join('\n');
    expect(logs.lines.length).toBeGreaterThan(0);
    for (const secret of [ADMIN, SMTP, WEBHOOK, KEY, KEY.slice(13)]) expect(everything, secret).not.toContain(secret);
  });
});

describe('security headers', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer('pglite');
  });
  afterAll(() => s.cleanup());

  it('sends a Content-Security-Policy fit for the dashboard and the usual hardening headers', async () => {
    const res = await s.bare({ method: 'GET', url: '/healthz' });
    const csp = String(res.headers['content-security-policy']);
    for (const d of ["default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "connect-src 'self'"]) expect(csp).toContain(d);
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('same-origin');
  });

  it('serves the API docs to a logged-in viewer and to nobody anonymous', async () => {
    const viewer = await userSession(s, 'viewer');
    expect((await s.bare({ method: 'GET', url: '/api/docs/json', headers: { cookie: viewer.cookie } })).statusCode).toBe(200);
    expect((await s.bare({ method: 'GET', url: '/api/docs/json' })).statusCode).toBe(401);
  });
});

describe('rate limits', () => {
  it('limits each key (and each address) on its own, with 429 and Retry-After', async () => {
    const s = await startTestServer('pglite', { RATE_LIMIT_API_PER_MIN: '3', RATE_LIMIT_INGEST_PER_MIN: '2', RATE_LIMIT_LOGIN_PER_MIN: '2' });
    try {
      const [a, b] = [await apiKey(s, ['read', 'ingest']), await apiKey(s, ['read'])];
      const read = (key: string) => s.bare({ method: 'GET', url: '/api/v1/services', headers: { authorization: `Bearer ${key}` } });
      for (let i = 0; i < 3; i++) expect((await read(a.key)).statusCode).toBe(200);
      const limited = await read(a.key);
      expect(limited.statusCode).toBe(429);
      expect(limited.json().error.code).toBe('rate_limited');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect((await read(b.key)).statusCode).toBe(200);
      const ingest = () => s.bare({ method: 'POST', url: '/api/v1/logs', headers: { 'x-api-key': a.key }, payload: buildLog() });
      expect([(await ingest()).statusCode, (await ingest()).statusCode, (await ingest()).statusCode]).toEqual([200, 200, 429]);
      const tries = [];
      for (let i = 0; i < 3; i++) tries.push((await login(s, 'admin', s.adminPassword)).res.statusCode);
      expect(tries).toEqual([200, 200, 429]);
      expect((await s.bare({ method: 'GET', url: '/healthz' })).statusCode).toBe(200); // probes are never limited
    } finally {
      await s.cleanup();
    }
  });

  it('keeps its counters in Redis when Redis is configured', async () => {
    const s = await startTestServer('pglite', { RATE_LIMIT_API_PER_MIN: '2', REDIS_URL: 'redis://127.0.0.1:6379' });
    const redis = new Redis('redis://127.0.0.1:6379');
    try {
      const k = await apiKey(s, ['read']);
      const read = () => s.bare({ method: 'GET', url: '/api/v1/services', headers: { authorization: `Bearer ${k.key}` } });
      expect([(await read()).statusCode, (await read()).statusCode, (await read()).statusCode]).toEqual([200, 200, 429]);
      expect(await redis.keys(`logsage:rate:*${k.id}*`)).not.toHaveLength(0);
    } finally {
      redis.disconnect();
      await s.cleanup();
    }
  });
});

describe('AUTH_DISABLED', () => {
  it('lets anonymous calls through and warns at every start', async () => {
    const first = capture();
    const s = await startTestServer('pglite', { AUTH_DISABLED: 'true' }, first.log);
    try {
      expect((await s.bare({ method: 'POST', url: '/api/v1/logs', payload: buildLog() })).statusCode).toBe(200);
      expect((await s.bare({ method: 'GET', url: '/api/v1/users' })).statusCode).toBe(200);
      expect(first.lines.join('')).toMatch(/"level":40.*AUTH_DISABLED=true/);
    } finally {
      await s.cleanup();
    }
  });
});

describe.skipIf(!hasPostgres())('user and key store unreachable', () => {
  let s: TestServer;
  let proxy: Awaited<ReturnType<typeof startRelayedTestServer>>['proxy'];
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ s, proxy, cleanup } = await startRelayedTestServer({ API_KEY_CACHE_SECONDS: '0' }));
  });
  afterAll(() => cleanup());

  it('answers 503 with Retry-After, never 401, for keys, sessions and logins', async () => {
    const viewer = await userSession(s, 'viewer');
    await proxy.cut();
    const attempts = [
      await s.bare({ method: 'POST', url: '/api/v1/logs', headers: { authorization: `Bearer ${s.keys.ingest}` }, payload: buildLog() }),
      await s.bare({ method: 'POST', url: '/api/v1/logs', headers: { authorization: 'Bearer lsk_00000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, payload: buildLog() }),
      await s.bare({ method: 'GET', url: '/api/v1/logs', headers: { cookie: viewer.cookie } }),
      await s.bare({ method: 'POST', url: '/api/v1/auth/login', headers: { origin: ORIGIN }, payload: { username: 'admin', password: s.adminPassword } }),
    ];
    for (const r of attempts) {
      expect(r.statusCode, r.body).toBe(503);
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    }
    await proxy.restore();
    expect((await s.bare({ method: 'POST', url: '/api/v1/logs', headers: { authorization: `Bearer ${s.keys.ingest}` }, payload: buildLog() })).statusCode).toBe(200);
  });
});
