import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, buildLog, startTestServer, type TestServer } from './helpers.js';

describe.each(ENGINES)('operations endpoints on %s', (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(engine);
  });
  afterAll(() => s.cleanup());
  const get = (url: string) => s.app.inject({ method: 'GET', url });

  it('answers health and readiness', async () => {
    expect((await get('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await get('/readyz')).json()).toEqual({ status: 'ready', database: engine === 'pglite' ? 'pglite' : 'postgres' });
  });

  it('exports ingested and rejected counts, latency and pool usage to Prometheus', async () => {
    await s.app.inject({ method: 'POST', url: '/api/v1/logs', payload: [buildLog(), buildLog(), buildLog({ message: '' })] });
    const text = (await get('/metrics')).body;
    expect(text).toMatch(/^logsage_ingested_logs_total\{protocol="native"\} 2$/m);
    expect(text).toMatch(/^logsage_rejected_logs_total\{reason="message",protocol="native"\} 1$/m);
    expect(text).toMatch(/^logsage_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/logs",status_code="200"\} 1$/m);
    expect(text).toMatch(/^logsage_db_pool_connections \d+$/m);
  });

  it('publishes OpenAPI generated from the route schemas', async () => {
    const doc = (await get('/api/docs/json')).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/logs', '/api/v1/logs/{id}', '/api/v1/stats', '/api/v1/services']));
    expect(doc.paths['/api/v1/logs'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['from', 'to', 'service', 'level', 'q', 'cursor', 'limit']),
    );
  });

  it('answers unknown routes in the error shape', async () => {
    const r = await get('/api/v1/nope');
    expect(r.statusCode).toBe(404);
    expect(r.json()).toEqual({ error: { code: 'not_found', message: 'no route GET /api/v1/nope' } });
  });
});
