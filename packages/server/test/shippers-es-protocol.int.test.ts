import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers.js';
import { ingestKey, logsByToken, uniqueToken } from './shippers-helpers.js';

const ndjson = (...lines: unknown[]) => lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n';
const recent = () => new Date(Date.now() - 60_000).toISOString();

describe('Elasticsearch-compatible API: errors, partial batches and auth (PGlite)', () => {
  let s: TestServer;
  let key: string;
  beforeAll(async () => {
    s = await startTestServer('pglite');
    key = await ingestKey(s);
  });
  afterAll(() => s.cleanup());

  const post = (url: string, payload: string, headers: Record<string, string> = {}) =>
    s.app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${key}`, ...headers } });

  it('answers each item on its own: a good document, bad JSON, a non-object, update, delete, an unreadable and a too-old timestamp', async () => {
    const t = uniqueToken();
    const res = await post('/es/_bulk', ndjson(
      { index: { _index: 'app' } }, { message: `${t} good`, '@timestamp': recent() },
      { create: { _index: 'app' } }, '{"message": broken',
      { index: { _index: 'app' } }, '[1, 2]',
      { update: { _index: 'app', _id: 'x' } }, { doc: { message: 'y' } },
      { delete: { _index: 'app', _id: 'x' } },
      { create: { _index: 'app' } }, { message: `${t} when`, '@timestamp': 'yesterday-ish' },
      { create: { _index: 'app' } }, { message: `${t} old`, '@timestamp': '2001-01-01T00:00:00Z' },
    ));
    expect(res.statusCode).toBe(200);
    const body = res.json<{ errors: boolean; items: Record<string, { status: number; error?: { type: string; reason: string } }>[] }>();
    expect(body.errors).toBe(true);
    const flat = body.items.map((it) => Object.entries(it)[0]!).map(([op, r]) => [op, r.status, r.error?.type]);
    expect(flat).toEqual([
      ['index', 201, undefined],
      ['create', 400, 'document_parsing_exception'],
      ['index', 400, 'document_parsing_exception'],
      ['update', 400, 'illegal_argument_exception'],
      ['delete', 400, 'illegal_argument_exception'],
      ['create', 400, 'document_parsing_exception'],
      ['create', 400, 'document_parsing_exception'],
    ]);
    expect(body.items[6]!.create!.error!.reason).toMatch(/retention/);
    expect((await logsByToken(s, t)).map((l) => l.message)).toEqual([`${t} good`]);
  });

  it('answers 200 with per-item 400s when no document is usable, not a request failure', async () => {
    const res = await post('/es/_bulk', ndjson({ create: { _index: 'a' } }, { message: 'x', '@timestamp': 'not a date' }));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ errors: true, items: [{ create: { status: 400, error: { type: 'document_parsing_exception' } } }] });
  });

  it('refuses the whole request on a malformed action line, as Elasticsearch does, and stores nothing of it', async () => {
    const t = uniqueToken();
    const bad = await post('/es/_bulk', ndjson({ index: {} }, { message: `${t} a` }, '{not json', { message: `${t} b` }));
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['x-elastic-product']).toBe('Elasticsearch');
    expect(bad.json()).toMatchObject({ status: 400, error: { type: 'x_content_parse_exception', root_cause: [{ type: 'x_content_parse_exception' }] } });
    const op = await post('/es/_bulk', ndjson({ upsert: { _index: 'a' } }, { message: `${t} c` }));
    expect(op.statusCode).toBe(400);
    expect(op.json().error.reason).toMatch(/expected one of \[create, delete, index, update\]/);
    expect(await logsByToken(s, t)).toEqual([]);
  });

  it('maps ECS fields, uses the index of the path as the last service fallback, and never fails on odd fields', async () => {
    const t = uniqueToken();
    const res = await post('/es/orders-api/_bulk', ndjson(
      { index: {} }, { message: `${t} plain`, '@timestamp': recent() },
      { index: {} }, { message: `${t} odd`, log: { level: 'banana' }, deep: { a: { b: { c: [1, { d: null }] } } }, 'dotted.key': true, '': 'empty key' },
      { index: {} }, { message: 12345, error: { message: `${t} from error.message` }, data_stream: { dataset: 'shop.orders' } },
      { index: {} }, { event: { original: `${t} original` }, agent: { name: 'edge-7' } },
      { create: { _index: 'fluent-bit' } }, { '@timestamp': recent(), log: `${t} fluent line`, stream: 'stdout', kubernetes: { pod_name: 'api-0' } },
    ));
    expect(res.json().errors).toBe(false);
    const logs = await logsByToken(s, t);
    const by = Object.fromEntries(logs.map((l) => [l.message.replace(`${t} `, ''), l]));
    expect(by.plain).toMatchObject({ service: 'orders-api', level: 'unknown', attributes: {} });
    expect(by.odd).toMatchObject({ service: 'orders-api', level: 'unknown' });
    expect(by.odd!.attributes).toEqual({ 'log.level': 'banana', 'deep.a.b.c': [1, { d: null }], 'dotted.key': true, '': 'empty key' });
    expect(by['from error.message']).toMatchObject({ service: 'shop.orders', attributes: { message: 12345, 'data_stream.dataset': 'shop.orders' } });
    expect(by.original).toMatchObject({ service: 'edge-7' });
    expect(by['fluent line']).toMatchObject({ service: 'fluent-bit', attributes: { stream: 'stdout', 'kubernetes.pod_name': 'api-0' } });
    expect(by['fluent line']!.attributes).not.toHaveProperty('log');
  });

  it('indexes single documents (_create with id), answering 409 for a second _create of an id, even without @timestamp', async () => {
    const t = uniqueToken();
    // No @timestamp: each copy is stamped when received, and the _id alone still makes it a resend.
    const doc = JSON.stringify({ message: `${t} single`, service: { name: 'one' } });
    const first = await s.app.inject({ method: 'PUT', url: `/es/app/_create/${t}`, payload: doc, headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` } });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ _index: 'app', _id: t, result: 'created' });
    const second = await s.app.inject({ method: 'PUT', url: `/es/app/_create/${t}`, payload: doc, headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` } });
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ status: 409, error: { type: 'version_conflict_engine_exception' } });
    // `index` of a stored _id keeps the first copy: 200 noop, not a second row.
    const indexed = await s.app.inject({ method: 'PUT', url: `/es/app/_doc/${t}`, payload: doc, headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` } });
    expect(indexed.statusCode).toBe(200);
    expect(indexed.json()).toMatchObject({ _id: t, result: 'noop' });
    expect((await logsByToken(s, t)).length).toBe(1);
  });

  it('answers 401 in Elasticsearch form with the Basic and ApiKey challenge, and ES-shaped 404s', async () => {
    for (const headers of [{}, { authorization: 'Basic ' + Buffer.from('elastic:wrong').toString('base64') }, { authorization: 'ApiKey bm9wZTpub3Bl' }]) {
      const res = await s.bare({ method: 'POST', url: '/es/_bulk', payload: ndjson({ index: {} }, { message: 'x' }), headers: { 'content-type': 'application/json', ...headers } });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Basic realm="security" charset="UTF-8", ApiKey');
      expect(res.headers['x-elastic-product']).toBe('Elasticsearch');
      expect(res.json()).toMatchObject({ status: 401, error: { type: 'security_exception', reason: expect.any(String) } });
    }
    const missing = await s.app.inject({ method: 'GET', url: '/es/_cat/indices' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['x-elastic-product']).toBe('Elasticsearch');
    expect(missing.json()).toMatchObject({ status: 404, error: { type: 'resource_not_found_exception' } });
  });

  it('accepts the API key as ApiKey itself or as base64(id:key), and as Basic password', async () => {
    for (const authorization of [`ApiKey ${key}`, `ApiKey ${Buffer.from(`my-id:${key}`).toString('base64')}`, `Basic ${Buffer.from(`anyone:${key}`).toString('base64')}`]) {
      const res = await s.bare({ method: 'GET', url: '/es/', headers: { authorization } });
      expect(res.statusCode, authorization.slice(0, 10)).toBe(200);
    }
  });
});
