import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { parseConfig } from '../src/config/index.js';
import { startLogSage } from '../src/main.js';
import { openDatabase } from '../src/db/index.js';
import { buildLog, createPgDatabase, ENGINES, hasPostgres, startTestServer, type TestServer } from './helpers.js';
import { apiKey } from './auth-helpers.js';
import { sha256 } from '../src/lib/hash.js';

describe.each(ENGINES)('API keys on %s', (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(engine);
  });
  afterAll(() => s.cleanup());
  const ingest = (headers: Record<string, string>) => s.bare({ method: 'POST', url: '/api/v1/logs', headers, payload: buildLog() });

  it('writes the first-start ingest key to DATA_DIR/ingest.key (0600), printed once, and it ingests', async () => {
    const file = join(s.cfg.DATA_DIR, 'ingest.key');
    expect(readFileSync(file, 'utf8').trim()).toBe(s.keys.ingest);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(s.announced).toContain(s.keys.ingest);
    expect((await ingest({ authorization: `Bearer ${s.keys.ingest}` })).statusCode).toBe(200);
    expect((await ingest({})).statusCode).toBe(401);
    expect((await ingest({ authorization: 'Bearer lsk_00000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })).statusCode).toBe(401);
  });

  it('accepts a key as Bearer, as X-API-Key and as the Basic password, and keeps only its SHA-256', async () => {
    const k = await apiKey(s, ['ingest']);
    expect(k.key.startsWith(k.prefix)).toBe(true);
    expect((await ingest({ authorization: `Bearer ${k.key}` })).statusCode).toBe(200);
    expect((await ingest({ 'x-api-key': k.key })).statusCode).toBe(200);
    expect((await ingest({ authorization: `Basic ${Buffer.from(`filebeat:${k.key}`).toString('base64')}` })).statusCode).toBe(200);
    const row = (await s.db.query<{ key_hash: string }>('SELECT key_hash FROM api_keys WHERE prefix = $1', [k.prefix])).rows[0]!;
    expect(row.key_hash).toBe(sha256(k.key));
    const list = await s.app.inject({ method: 'GET', url: '/api/v1/api-keys' });
    expect(list.body).not.toContain(k.key);
    expect(list.json().keys.find((x: { id: string }) => x.id === k.id)).toMatchObject({ prefix: k.prefix, scopes: ['ingest'], revoked_at: null });
  });

  it('grants each scope its own routes only', async () => {
    const ingestOnly = await apiKey(s, ['ingest']);
    const readOnly = await apiKey(s, ['read']);
    const read = (key: string) => s.bare({ method: 'GET', url: '/api/v1/logs', headers: { authorization: `Bearer ${key}` } });
    expect((await read(ingestOnly.key)).statusCode).toBe(403);
    expect((await read(readOnly.key)).statusCode).toBe(200);
    expect((await ingest({ authorization: `Bearer ${readOnly.key}` })).statusCode).toBe(403);
    expect((await s.bare({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${readOnly.key}` } })).statusCode).toBe(200);
  });

  it('refuses a revoked key at once in this process', async () => {
    const k = await apiKey(s, ['ingest']);
    expect((await ingest({ 'x-api-key': k.key })).statusCode).toBe(200);
    expect((await s.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${k.id}` })).statusCode).toBe(204);
    expect((await ingest({ 'x-api-key': k.key })).statusCode).toBe(401);
    expect((await s.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${k.id}` })).statusCode).toBe(404);
  });

  it('refuses posted id, created_by, prefix and key, naming them (mass assignment)', async () => {
    const res = await s.app.inject({
      method: 'POST', url: '/api/v1/api-keys',
      payload: { name: 'mass', scopes: ['read'], id: '11111111-1111-4111-8111-111111111111', created_by: 'mallory', prefix: 'lsk_mine', key: 'chosen', revoked_at: null },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([{ field: 'id', reason: 'is not a known field' }]);
    const keys = (await s.app.inject({ url: '/api/v1/api-keys' })).json<{ keys: { name: string }[] }>().keys;
    expect(keys.map((k) => k.name)).not.toContain('mass');
  });

  it('refuses posted id and created_by on users, naming them, and creates nothing', async () => {
    const created = await s.app.inject({
      method: 'POST', url: '/api/v1/users',
      payload: { username: 'massy', password: 'long enough password', role: 'viewer', id: '22222222-2222-4222-8222-222222222222', created_by: 'mallory', disabled: true },
    });
    expect(created.statusCode).toBe(400);
    expect(created.json().error.message).toMatch(/id is not a known field/);
    const ok = await s.app.inject({ method: 'POST', url: '/api/v1/users', payload: { username: 'massy', password: 'long enough password', role: 'viewer' } });
    expect(ok.statusCode).toBe(201);
    const u = ok.json();
    const patched = await s.app.inject({ method: 'PATCH', url: `/api/v1/users/${u.id}`, payload: { id: 'x', created_by: 'mallory', username: 'renamed' } });
    expect(patched.statusCode).toBe(400);
    expect((await s.app.inject({ url: '/api/v1/users' })).json<{ users: { id: string; username: string }[] }>().users.find((x) => x.id === u.id)?.username).toBe('massy');
  });

  it('keeps the last admin: it cannot be deleted, demoted or disabled', async () => {
    const admin = (await s.app.inject({ method: 'GET', url: '/api/v1/users' })).json().users.find((x: { username: string }) => x.username === 'admin');
    expect((await s.app.inject({ method: 'DELETE', url: `/api/v1/users/${admin.id}` })).statusCode).toBe(409);
    expect((await s.app.inject({ method: 'PATCH', url: `/api/v1/users/${admin.id}`, payload: { role: 'viewer' } })).statusCode).toBe(409);
    expect((await s.app.inject({ method: 'PATCH', url: `/api/v1/users/${admin.id}`, payload: { disabled: true } })).statusCode).toBe(409);
  });
});

describe('first start', () => {
  it('prints the generated admin password once; a second start prints nothing and creates nothing', async () => {
    const s = await startTestServer('pglite', {});
    const dir = s.cfg.DATA_DIR;
    await s.stop();
    let announced = '';
    const env = { DATA_DIR: dir, LOG_LEVEL: 'silent' };
    const again = await startLogSage(parseConfig(env), [], pino({ level: 'silent' }), { announce: (t) => (announced += t) });
    try {
      expect(announced).toBe('');
      expect(again.security.bootstrap.created).toBe(false);
      const n = await again.db.query<{ users: string; keys: string }>('SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM api_keys) AS keys');
      // the ingest key and the test server's admin key
      expect([Number(n.rows[0]!.users), Number(n.rows[0]!.keys)]).toEqual([1, 2]);
    } finally {
      await again.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('generates a password when ADMIN_PASSWORD is unset and shows it only in the announcement', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'logsage-boot-'));
    let announced = '';
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (l: string) => void lines.push(l) });
    const r = await startLogSage(parseConfig({ DATA_DIR: dir }), [], log, { announce: (t) => (announced += t) });
    try {
      const password = /admin \/ (\S+)/.exec(announced)?.[1];
      expect(password).toBeDefined();
      expect(password!.length).toBeGreaterThanOrEqual(20);
      expect(lines.join('')).not.toContain(password!);
      expect(lines.join('')).not.toContain(r.security.bootstrap.ingestKey!);
    } finally {
      await r.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!hasPostgres())('creates one admin when two processes start at once against one PostgreSQL', async () => {
    const d = await createPgDatabase();
    try {
      // Migrated beforehand: this is about the bootstrap, not about two first migrations racing.
      await (await openDatabase(parseConfig({ DATABASE_URL: d.url }))).close();
      const [a, b] = await Promise.all([startTestServer('postgres', { DATABASE_URL: d.url }), startTestServer('postgres', { DATABASE_URL: d.url })]);
      const n = await a.db.query<{ users: string; ingest: string }>(
        "SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM api_keys WHERE 'ingest' = ANY(scopes) AND NOT 'admin' = ANY(scopes)) AS ingest",
      );
      expect([Number(n.rows[0]!.users), Number(n.rows[0]!.ingest)]).toEqual([1, 1]);
      expect([a.security.bootstrap.created, b.security.bootstrap.created].sort()).toEqual([false, true]);
      expect([a.announced, b.announced].filter(Boolean)).toHaveLength(1);
      await a.cleanup();
      await b.cleanup();
    } finally {
      await d.drop();
    }
  });
});
