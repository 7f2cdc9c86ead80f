import type { LightMyRequestResponse } from 'fastify';
import type { TestServer } from './helpers.js';

/** The Origin the test server accepts for cookie-authenticated changes (PUBLIC_URL defaults to http://HOST:PORT). */
export const ORIGIN = 'http://127.0.0.1:8080';

/** The session cookie (name=value) a response set, or undefined. */
export function sessionCookie(res: LightMyRequestResponse): string | undefined {
  const c = res.cookies.find((x) => x.name === 'logsage_session');
  return c && c.value ? `${c.name}=${c.value}` : undefined;
}

/** Logs in through the API; returns the response and its session cookie. */
export async function login(s: TestServer, username: string, password: string, headers: Record<string, string> = {}) {
  const res = await s.bare({ method: 'POST', url: '/api/v1/auth/login', headers: { origin: ORIGIN, ...headers }, payload: { username, password } });
  return { res, cookie: sessionCookie(res) };
}

/** Creates a user with the admin key and logs them in; returns their id and session cookie. */
export async function userSession(s: TestServer, role: 'admin' | 'editor' | 'viewer', username = `${role}-${Math.random().toString(36).slice(2, 8)}`) {
  const password = `pw-${username}-long-enough`;
  const created = await s.app.inject({ method: 'POST', url: '/api/v1/users', payload: { username, password, role } });
  if (created.statusCode !== 201) throw new Error(`user not created: ${created.body}`);
  const { cookie } = await login(s, username, password);
  if (!cookie) throw new Error('no session cookie');
  return { id: created.json<{ id: string }>().id, username, password, cookie };
}

/** Creates an API key with the admin key; returns the key and its id. */
export async function apiKey(s: TestServer, scopes: string[], name = 'test key') {
  const res = await s.app.inject({ method: 'POST', url: '/api/v1/api-keys', payload: { name, scopes } });
  if (res.statusCode !== 201) throw new Error(`key not created: ${res.body}`);
  return res.json<{ id: string; key: string; prefix: string }>();
}
