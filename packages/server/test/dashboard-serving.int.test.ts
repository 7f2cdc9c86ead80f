import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers.js';
import { etagMatches } from '../src/http/conditional.js';

// A built dashboard's shape: index.html naming hashed bundles, a favicon beside it.
function fakeDashboard(): string {
  const dir = mkdtempSync(join(tmpdir(), 'logsage-dash-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="app"></div><script type="module" src="/assets/index-Ab12Cd.js"></script>');
  writeFileSync(join(dir, 'assets', 'index-Ab12Cd.js'), 'console.log("app")');
  writeFileSync(join(dir, 'assets', 'index-Ab12Cd.js.gz'), gzipSync('console.log("app")'));
  writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  return dir;
}

describe('dashboard serving', () => {
  let s: TestServer;
  let dir: string;
  beforeAll(async () => {
    dir = fakeDashboard();
    s = await startTestServer('pglite', { DASHBOARD_DIR: dir });
  });
  afterAll(async () => {
    await s?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at / without credentials, never cached, under the strict CSP', async () => {
    const r = await s.bare({ method: 'GET', url: '/' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/text\/html/);
    expect(r.body).toContain('<div id="app">');
    expect(r.headers['cache-control']).toBe('no-cache');
    expect(String(r.headers['content-security-policy'])).toContain("script-src 'self'");
  });

  it('answers every app route (history mode) with index.html', async () => {
    for (const url of ['/alerts/42', '/logs?service=api', '/templates', '/login?redirect=%2Falerts%2F7']) {
      const r = await s.bare({ method: 'GET', url });
      expect(r.statusCode, url).toBe(200);
      expect(r.body, url).toContain('<div id="app">');
    }
  });

  it('gives hashed assets a year of immutable caching', async () => {
    const r = await s.bare({ method: 'GET', url: '/assets/index-Ab12Cd.js' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(r.body).toBe('console.log("app")');
    expect((await s.bare({ method: 'GET', url: '/favicon.svg' })).headers['cache-control']).toBe('public, max-age=3600');
  });

  it('sends the precompressed asset to a browser that accepts it', async () => {
    const r = await s.bare({ method: 'GET', url: '/assets/index-Ab12Cd.js', headers: { 'accept-encoding': 'gzip, deflate' } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-encoding']).toBe('gzip');
    expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(gunzipSync(r.rawPayload).toString()).toBe('console.log("app")');
  });

  it('keeps JSON 404s for the API and missing assets, and index.html never for them', async () => {
    const api = await s.bare({ method: 'GET', url: '/api/v1/nope' });
    expect(api.statusCode).toBe(404);
    expect(api.json()).toEqual({ error: { code: 'not_found', message: 'no route GET /api/v1/nope' } });
    const asset = await s.bare({ method: 'GET', url: '/assets/missing-123.js' });
    expect(asset.statusCode).toBe(404);
    expect(asset.body).not.toContain('<div id="app">');
    expect((await s.bare({ method: 'POST', url: '/alerts/1' })).statusCode).toBe(404);
  });

  it('does not serve files outside the dashboard directory', async () => {
    const r = await s.bare({ method: 'GET', url: '/assets/..%2f..%2fetc%2fpasswd' });
    expect(r.statusCode).not.toBe(200);
    expect(r.body).not.toContain('root:');
  });

  it('answers an unchanged read with 304 and no body, a changed one with 200', async () => {
    const first = await s.app.inject({ method: 'GET', url: '/api/v1/services' });
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^W\/".+"$/);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    const again = await s.app.inject({ method: 'GET', url: '/api/v1/services', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    await s.app.inject({ method: 'POST', url: '/api/v1/logs', payload: { timestamp: new Date().toISOString(), level: 'info', service: 'etag-svc', message: 'hello' } });
    const changed = await s.app.inject({ method: 'GET', url: '/api/v1/services', headers: { 'if-none-match': etag } });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().services.map((x: { name: string }) => x.name)).toContain('etag-svc');
  });

  it('sets no ETag on writes or errors', async () => {
    const post = await s.app.inject({ method: 'POST', url: '/api/v1/logs', payload: { level: 'info', service: 'a', message: 'b' } });
    expect(post.headers.etag).toBeUndefined();
    const bad = await s.app.inject({ method: 'GET', url: '/api/v1/logs?limit=0' });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers.etag).toBeUndefined();
  });
});

describe('etagMatches', () => {
  it('matches weak and strong spellings, lists and *', () => {
    expect(etagMatches('W/"a"', 'W/"a"')).toBe(true);
    expect(etagMatches('"a"', 'W/"a"')).toBe(true);
    expect(etagMatches('"x", W/"a"', 'W/"a"')).toBe(true);
    expect(etagMatches('*', 'W/"a"')).toBe(true);
    expect(etagMatches('"b"', 'W/"a"')).toBe(false);
    expect(etagMatches(undefined, 'W/"a"')).toBe(false);
  });
});

describe('without a built dashboard', () => {
  it('still serves the API and answers / with a JSON 404', async () => {
    const s2 = await startTestServer('pglite', { DASHBOARD_DIR: join(tmpdir(), 'logsage-no-such-dashboard') });
    try {
      expect((await s2.bare({ method: 'GET', url: '/' })).statusCode).toBe(404);
      expect((await s2.bare({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await s2.cleanup();
    }
  });
});
