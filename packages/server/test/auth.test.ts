import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { allows, installAuthGuard, readCredentials, type AuthService, type Principal, type RouteAccess } from '../src/modules/auth/index.js';
import { keyPrefix, newApiKey, sameDigest } from '../src/modules/auth/crypto.js';
import { sha256 } from '../src/lib/hash.js';

const user = (role: 'admin' | 'editor' | 'viewer'): Principal => ({ kind: 'user', id: 'u', name: role, role });
const key = (...scopes: string[]): Principal => ({ kind: 'key', id: 'k', name: 'k', scopes });
const anonymous: Principal = { kind: 'anonymous', id: '', name: 'anonymous' };

describe('access rules', () => {
  it.each([
    [anonymous, ['public']],
    [user('viewer'), ['public', 'read']],
    [user('editor'), ['public', 'read', 'edit']],
    [user('admin'), ['public', 'ingest', 'read', 'edit', 'admin']],
    [key('ingest'), ['public', 'ingest']],
    [key('read'), ['public', 'read']],
    [key('ingest', 'read'), ['public', 'ingest', 'read']],
    [key('admin'), ['public', 'ingest', 'read', 'edit', 'admin']],
    [key('bogus'), ['public']],
  ] as const)('%o may call exactly %o', (p, granted) => {
    for (const a of ['public', 'ingest', 'read', 'edit', 'admin'] as const) expect(allows(p, a), a).toBe((granted as readonly string[]).includes(a));
  });
});

describe('credentials', () => {
  it('reads Bearer, X-API-Key, Basic (key as password) and the session cookie, keys first', () => {
    expect(readCredentials({ authorization: 'Bearer abc' }, 'sess')).toEqual({ kind: 'key', key: 'abc' });
    expect(readCredentials({ 'x-api-key': ' abc ' }, undefined)).toEqual({ kind: 'key', key: 'abc' });
    const basic = Buffer.from('filebeat:lsk_x:y').toString('base64');
    expect(readCredentials({ authorization: `Basic ${basic}` }, undefined)).toEqual({ kind: 'key', key: 'lsk_x:y' });
    expect(readCredentials({}, 'sess')).toEqual({ kind: 'session', id: 'sess' });
    expect(readCredentials({}, undefined)).toEqual({ kind: 'none' });
    expect(readCredentials({ authorization: 'Digest x' }, undefined)).toEqual({ kind: 'key', key: '' });
  });

  it('makes keys with a visible prefix and compares digests in constant time', () => {
    const k = newApiKey();
    expect(k.key.startsWith(`${k.prefix}_`)).toBe(true);
    expect(keyPrefix(k.key)).toBe(k.prefix);
    expect(keyPrefix('lsk_zz_short')).toBeUndefined();
    expect(k.hash).toBe(sha256(k.key));
    expect(sameDigest(k.hash, sha256(k.key))).toBe(true);
    expect(sameDigest(k.hash, sha256(`${k.key}x`))).toBe(false);
    expect(sameDigest(k.hash, '')).toBe(false);
  });
});

describe('the route guard', () => {
  const auth = { disabled: false, authenticate: async () => anonymous } as unknown as AuthService;

  it('refuses to start when a route declares no access', async () => {
    const app = Fastify();
    installAuthGuard(app, { auth, allowedOrigins: [] });
    const start = async () => {
      await app.register(async (child) => {
        child.get('/forgotten', async () => 'oops');
      });
      await app.ready();
    };
    await expect(start()).rejects.toThrow(/GET \/forgotten declares no access/);
  });

  it('lists every declared route in its table, HEAD twins included', async () => {
    const app = Fastify();
    const table: RouteAccess[] = [];
    installAuthGuard(app, { auth, allowedOrigins: [], table });
    app.get('/ok', { config: { access: 'read' } }, async () => 'ok');
    await app.ready();
    expect(table).toEqual(expect.arrayContaining([{ method: 'GET', url: '/ok', access: 'read' }, { method: 'HEAD', url: '/ok', access: 'read' }]));
    await app.close();
  });
});
