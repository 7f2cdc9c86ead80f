import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from './helpers.js';
import { login, ORIGIN, userSession } from './auth-helpers.js';

describe.each(ENGINES)('login sessions on %s', (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(engine, { RATE_LIMIT_LOGIN_PER_MIN: '0', LOGIN_MAX_FAILURES: '3', LOGIN_MAX_FAILURES_IP: '1000' });
  });
  afterAll(() => s.cleanup());
  const me = (cookie: string) => s.bare({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });

  it('stores the admin password as argon2id and logs in with it: HttpOnly, SameSite=Lax cookie, not Secure over plain HTTP', async () => {
    const hash = (await s.db.query<{ password_hash: string }>("SELECT password_hash FROM users WHERE username = 'admin'")).rows[0]!.password_hash;
    expect(hash.startsWith('$argon2id$')).toBe(true);
    const { res, cookie } = await login(s, 'admin', s.adminPassword);
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ username: 'admin', role: 'admin' });
    expect(JSON.stringify(res.json())).not.toContain('argon2');
    const c = res.cookies.find((x) => x.name === 'logsage_session')!;
    expect(c).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(c.secure).toBeUndefined();
    expect((await me(cookie!)).json()).toMatchObject({ kind: 'user', name: 'admin', role: 'admin' });
  });

  it('sets Secure when served over TLS (behind a trusted proxy here)', async () => {
    const t = await startTestServer(engine, { TRUST_PROXY: 'true' });
    try {
      const { res } = await login(t, 'admin', t.adminPassword, { 'x-forwarded-proto': 'https', origin: 'https://localhost:80' });
      expect(res.cookies.find((x) => x.name === 'logsage_session')!.secure).toBe(true);
    } finally {
      await t.cleanup();
    }
  });

  it('issues a new session id at every login and ignores one planted before it', async () => {
    const planted = 'logsage_session=attacker-chosen-value';
    const a = await login(s, 'admin', s.adminPassword, { cookie: planted });
    const b = await login(s, 'admin', s.adminPassword);
    expect(a.cookie).toBeDefined();
    expect(a.cookie).not.toBe(planted);
    expect(a.cookie).not.toBe(b.cookie);
    expect((await me(planted)).statusCode).toBe(401);
    // Only digests are stored: the cookie value itself is nowhere in the table.
    const ids = (await s.db.query<{ id_hash: string }>('SELECT id_hash FROM sessions')).rows.map((r) => r.id_hash);
    expect(ids).not.toContain(a.cookie!.split('=')[1]);
  });

  it('refuses a cookie replayed after logout', async () => {
    const { cookie } = await login(s, 'admin', s.adminPassword);
    expect((await me(cookie!)).statusCode).toBe(200);
    const out = await s.bare({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: cookie!, origin: ORIGIN } });
    expect(out.statusCode).toBe(204);
    const replay = await me(cookie!);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe('unauthorized');
  });

  it('ends sessions past the idle and the absolute timeout', async () => {
    const idle = await userSession(s, 'viewer');
    const old = await userSession(s, 'viewer');
    await s.db.query("UPDATE sessions SET last_seen_at = now() - interval '121 minutes' WHERE user_id::text = $1", [idle.id]);
    await s.db.query("UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id::text = $1", [old.id]);
    expect((await me(idle.cookie)).statusCode).toBe(401);
    expect((await me(old.cookie)).statusCode).toBe(401);
  });

  it('refuses cross-origin form posts and fetches made with the cookie, and accepts same-origin ones', async () => {
    const { cookie } = await login(s, 'admin', s.adminPassword);
    const form = await s.bare({
      method: 'POST', url: '/api/v1/api-keys',
      headers: { cookie: cookie!, origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'name=x&scopes=admin',
    });
    expect(form.statusCode).toBe(403);
    const fetchLike = { method: 'POST' as const, url: '/api/v1/api-keys', payload: { name: 'csrf', scopes: ['admin'] } };
    expect((await s.bare({ ...fetchLike, headers: { cookie: cookie!, origin: 'https://evil.example' } })).statusCode).toBe(403);
    expect((await s.bare({ ...fetchLike, headers: { cookie: cookie!, origin: 'null' } })).statusCode).toBe(403);
    expect((await s.bare({ ...fetchLike, headers: { cookie: cookie!, referer: 'https://evil.example/page' } })).statusCode).toBe(403);
    expect((await s.bare({ ...fetchLike, headers: { cookie: cookie! } })).statusCode).toBe(403);
    expect((await s.bare({ ...fetchLike, headers: { cookie: cookie!, 'sec-fetch-site': 'same-origin' } })).statusCode).toBe(201);
    expect((await s.bare({ ...fetchLike, headers: { cookie: cookie!, origin: ORIGIN } })).statusCode).toBe(201);
    // Reads never change state and need no Origin.
    expect((await s.bare({ method: 'GET', url: '/api/v1/api-keys', headers: { cookie: cookie!, origin: 'https://evil.example' } })).statusCode).toBe(200);
    const keys = (await s.db.query<{ n: string }>("SELECT count(*) AS n FROM api_keys WHERE name = 'csrf'")).rows[0]!.n;
    expect(Number(keys)).toBe(2);
    expect((await s.bare({ method: 'POST', url: '/api/v1/auth/login', headers: { origin: 'https://evil.example' }, payload: { username: 'admin', password: s.adminPassword } })).statusCode).toBe(403);
  });

  it('throttles brute force per account with growing delays and one generic message', async () => {
    const victim = await userSession(s, 'editor');
    const unknown = await login(s, 'nobody-here', 'whatever');
    const wrong = await login(s, victim.username, 'wrong password');
    expect(unknown.res.statusCode).toBe(401);
    expect(wrong.res.statusCode).toBe(401);
    expect(unknown.res.json()).toEqual(wrong.res.json());
    await login(s, victim.username, 'wrong password');
    await login(s, victim.username, 'wrong password'); // third failure: locked from now on
    const locked = await login(s, victim.username, victim.password);
    expect(locked.res.statusCode).toBe(429);
    expect(locked.cookie).toBeUndefined();
    const first = Number(locked.res.headers['retry-after']);
    expect(first).toBeGreaterThan(0);
    // Let the lock lapse without waiting, fail once more: the next wait is longer.
    await s.db.query("UPDATE login_throttle SET locked_until = now() - interval '1 second' WHERE key = $1", [`u:${victim.username.toLowerCase()}`]);
    await login(s, victim.username, 'wrong password');
    const again = await login(s, victim.username, victim.password);
    expect(again.res.statusCode).toBe(429);
    expect(Number(again.res.headers['retry-after'])).toBeGreaterThan(first);
    // Another account from the same address is not locked out by it.
    expect((await login(s, 'admin', s.adminPassword)).res.statusCode).toBe(200);
  });

  it('throttles many failures from one address across accounts', async () => {
    const t = await startTestServer(engine, { RATE_LIMIT_LOGIN_PER_MIN: '0', LOGIN_MAX_FAILURES_IP: '4' });
    try {
      for (let i = 0; i < 4; i++) expect((await login(t, `spray-${i}`, 'guess')).res.statusCode).toBe(401);
      expect((await login(t, 'admin', t.adminPassword)).res.statusCode).toBe(429);
    } finally {
      await t.cleanup();
    }
  });

  it('lets a user change their own password (current one required, a role in the body refused), ending their other sessions', async () => {
    const u = await userSession(s, 'viewer');
    const other = await login(s, u.username, u.password);
    const change = (payload: Record<string, unknown>) =>
      s.bare({ method: 'POST', url: '/api/v1/auth/password', headers: { cookie: u.cookie, origin: ORIGIN }, payload });
    expect((await change({ current_password: 'not it', new_password: 'a whole new password' })).statusCode).toBe(403);
    const withRole = await change({ current_password: u.password, new_password: 'a whole new password', role: 'admin' });
    expect(withRole.statusCode).toBe(400);
    expect(withRole.json().error.details).toEqual([{ field: 'role', reason: 'is not a known field' }]);
    expect((await change({ current_password: u.password, new_password: 'a whole new password' })).statusCode).toBe(204);
    expect((await me(u.cookie)).json()).toMatchObject({ role: 'viewer' });
    expect((await me(other.cookie!)).statusCode).toBe(401);
    expect((await login(s, u.username, 'a whole new password')).res.statusCode).toBe(200);
    const key = await s.bare({ method: 'POST', url: '/api/v1/auth/password', headers: { authorization: `Bearer ${s.keys.admin}` }, payload: { current_password: 'x', new_password: 'a whole new password' } });
    expect(key.statusCode).toBe(403);
  });

  it('lists the audit log newest first by id across ten and more entries, and pages without gaps', async () => {
    for (let i = 0; i < 12; i++) await login(s, 'nobody', `wrong-${i}`);
    const all = (await s.app.inject({ method: 'GET', url: '/api/v1/audit?limit=1000' })).json<{ entries: { id: string }[] }>().entries.map((e) => Number(e.id));
    expect(all.length).toBeGreaterThanOrEqual(12);
    expect(all).toEqual([...all].sort((a, b) => b - a));
    const paged: number[] = [];
    let before: string | null = null;
    do {
      const page: { entries: { id: string }[]; next_before: string | null } =
        (await s.app.inject({ method: 'GET', url: `/api/v1/audit?limit=4${before ? `&before=${before}` : ''}` })).json();
      paged.push(...page.entries.map((e) => Number(e.id)));
      before = page.next_before;
    } while (before);
    expect(paged).toEqual(all);
  });

  it('records logins, failures and user changes in the audit log, without passwords', async () => {
    const u = await userSession(s, 'viewer');
    await s.app.inject({ method: 'PATCH', url: `/api/v1/users/${u.id}`, payload: { role: 'editor', password: 'a-brand-new-password' } });
    await login(s, u.username, 'not the password');
    const res = await s.app.inject({ method: 'GET', url: '/api/v1/audit?limit=1000' });
    expect(res.statusCode).toBe(200);
    const entries = res.json().entries as { action: string; target: string; actor_name: string; details: unknown }[];
    const mine = entries.filter((e) => e.target === u.id || e.actor_name === u.username);
    expect(mine.map((e) => e.action)).toEqual(expect.arrayContaining(['user.create', 'auth.login', 'user.update', 'auth.login_failed']));
    expect(mine.find((e) => e.action === 'user.update')!.details).toMatchObject({ changed: ['role', 'password'], role: 'editor' });
    expect(res.body).not.toContain('a-brand-new-password');
    expect(res.body).not.toContain(u.password);
  });
});
