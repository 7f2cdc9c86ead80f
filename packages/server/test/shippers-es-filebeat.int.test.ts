import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from './helpers.js';
import { exactlyOnce, ingestKey, isoMicros, listen, logsByToken, uniqueToken } from './shippers-helpers.js';

const ENGINE = ENGINES.at(-1)!;
const BEAT = '8.15.0';
const INDEX = `filebeat-${BEAT}`;
const FILTER = 'errors,items.*.error,items.*.status';

/**
 * Filebeat 8.x's start-up as its source sends it (libbeat esleg client, x-pack licenser,
 * idxmgmt lifecycle and template loader): connect with GET /, licence check, ILM policy,
 * index template, data stream, then _bulk with `create` actions, gzip-compressed.
 */
const STARTUP: { method: string; path: string; ok: number[]; body?: unknown }[] = [
  { method: 'GET', path: '/', ok: [200] },
  { method: 'GET', path: '/_license?human=false', ok: [200] },
  { method: 'GET', path: '/_ilm/policy/filebeat', ok: [200, 404] },
  { method: 'PUT', path: '/_ilm/policy/filebeat', ok: [200], body: { policy: { phases: { hot: { actions: { rollover: { max_age: '30d' } } } } } } },
  { method: 'HEAD', path: `/_index_template/${INDEX}`, ok: [200, 404] },
  { method: 'PUT', path: `/_index_template/${INDEX}`, ok: [200], body: { index_patterns: [`${INDEX}*`], data_stream: {}, priority: 150 } },
  { method: 'GET', path: `/_data_stream/${INDEX}`, ok: [200, 404] },
  { method: 'PUT', path: `/_data_stream/${INDEX}`, ok: [200] },
];

/** One filestream event as Filebeat 8 publishes it; the fingerprint processor sets @metadata._id. */
function filebeatEvent(token: string, t0: number, i: number): Record<string, unknown> {
  const event: Record<string, unknown> = {
    '@timestamp': isoMicros(t0, i),
    log: { offset: i * 120, file: { path: '/var/log/app/app.log' }, ...(i % 2 === 0 ? { level: 'error' } : {}) },
    message: `${token} #${i} upstream timed out`,
    input: { type: 'filestream' },
    ecs: { version: '8.0.0' },
    host: { name: 'web-1' },
    agent: { type: 'filebeat', version: BEAT, name: 'web-1', id: 'a1b2', ephemeral_id: 'e3f4' },
  };
  if (i % 3 === 0) event.service = { name: 'billing' };
  if (i % 3 === 1) event.event = { dataset: 'nginx.error' };
  return event;
}

const SERVICE = ['billing', 'nginx.error', 'web-1'];

describe(`Filebeat 8 start-up and _bulk replay on ${ENGINE}`, () => {
  let s: TestServer;
  let base: string;
  let auth: string;
  beforeAll(async () => {
    s = await startTestServer(ENGINE);
    base = `${await listen(s)}/es`;
    auth = `Basic ${Buffer.from(`filebeat:${await ingestKey(s)}`).toString('base64')}`;
  });
  afterAll(() => s.cleanup());

  const headers = () => ({ authorization: auth, 'user-agent': `Elastic-filebeat/${BEAT} (linux; amd64)`, accept: 'application/json' });

  async function bulk(body: string): Promise<{ status: number; json: unknown; headers: Headers }> {
    const res = await fetch(`${base}/_bulk?filter_path=${encodeURIComponent(FILTER)}`, {
      method: 'POST',
      headers: { ...headers(), 'content-type': 'application/json; charset=UTF-8', 'content-encoding': 'gzip' },
      body: gzipSync(body),
    });
    return { status: res.status, json: await res.json(), headers: res.headers };
  }

  it('answers the start-up calls as Elasticsearch does, in order, each with the product header', async () => {
    for (const step of STARTUP) {
      const res = await fetch(`${base}${step.path}`, {
        method: step.method,
        headers: { ...headers(), ...(step.body ? { 'content-type': 'application/json' } : {}) },
        ...(step.body ? { body: JSON.stringify(step.body) } : {}),
      });
      expect(step.ok, `${step.method} ${step.path} → ${res.status}`).toContain(res.status);
      expect(res.headers.get('x-elastic-product')).toBe('Elasticsearch');
      if (step.method === 'HEAD') continue;
      const json = (await res.json()) as { version: { number: string; build_flavor: string; lucene_version: string }; license: unknown };
      if (step.path === '/') {
        expect(json.version.number).toMatch(/^8\.\d+\.\d+$/);
        expect(json.version.build_flavor).toBe('default');
        expect(json).toMatchObject({ tagline: 'You Know, for Search', cluster_name: expect.any(String), cluster_uuid: expect.any(String) });
        expect(json.version.lucene_version).toMatch(/^\d+\.\d+\.\d+$/);
      }
      if (step.path.startsWith('/_license')) expect(json.license).toMatchObject({ type: 'basic', mode: 'basic', status: 'active' });
      if (step.method === 'PUT') expect(json).toEqual({ acknowledged: true });
      if (res.status === 404) expect(json).toMatchObject({ status: 404, error: { type: expect.any(String), reason: expect.any(String) } });
    }
  });

  it('stores 1,000 events from two gzip _bulk requests once, answers the filter_path form, and a resend is 409 per item', async () => {
    const token = uniqueToken();
    const t0 = Date.now() - 3_600_000;
    const idOf = (i: number) => createHash('sha1').update(`${token}-${i}`).digest('hex');
    const body = (from: number) =>
      Array.from({ length: 500 }, (_, k) => from + k)
        .map((i) => `${JSON.stringify({ create: { _index: INDEX, _id: idOf(i) } })}\n${JSON.stringify(filebeatEvent(token, t0, i))}\n`)
        .join('');
    for (const from of [0, 500]) {
      const res = await bulk(body(from));
      expect(res.status).toBe(200);
      expect(res.headers.get('x-elastic-product')).toBe('Elasticsearch');
      expect(res.json).toEqual({ errors: false, items: Array(500).fill({ create: { status: 201 } }) });
    }
    const byRecord = exactlyOnce(await logsByToken(s, token), token, 1000);
    for (const [i, log] of byRecord) {
      expect(log.service).toBe(SERVICE[i % 3]);
      expect(log.level).toBe(i % 2 === 0 ? 'error' : 'unknown');
      expect(log.timestamp).toBe(isoMicros(t0, i));
      expect(log.event_id).toBe(idOf(i));
      expect(log.attributes).toMatchObject({
        'log.file.path': '/var/log/app/app.log', 'log.offset': i * 120, 'agent.type': 'filebeat', 'agent.version': BEAT,
        'ecs.version': '8.0.0', 'host.name': 'web-1', 'input.type': 'filestream',
      });
      expect(log.attributes).not.toHaveProperty('message');
      expect(log.attributes).not.toHaveProperty('@timestamp');
    }
    const again = await bulk(body(0));
    expect(again.status).toBe(200);
    const items = (again.json as { errors: boolean; items: { create: { status: number; error: { type: string } } }[] });
    expect(items.errors).toBe(true);
    expect(items.items.map((it) => [it.create.status, it.create.error.type])).toEqual(Array(500).fill([409, 'version_conflict_engine_exception']));
    expect((await logsByToken(s, token)).length).toBe(1000);
  });
});
