// Property tests: generated hostile bodies on the Elasticsearch `_bulk` and Loki push doors (JSON
// and snappy protobuf). The process stays up, nothing is a 5xx, answers keep each protocol's
// shape, and the good entries of a batch with bad ones beside them are all stored.
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { compressSync } from 'snappy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { ENGINES, startTestServer, type TestServer } from './helpers.js';
import { LOKI_PUSH as PUSH, ingestKey } from './shippers-helpers.js';
import {
  bomb, bombPayload, count, deepNesting, encodeWire, expectNo5xx, fuzzRuns, garbageBytes, hostileKey, hostileString, hostileValue, objectOf, printTally,
  readable, toJson, wire, withInvalidUtf8, type Tree,
} from './fuzz-arbitraries.js';

const LIMIT = 512 * 1024;
const engine = ENGINES.at(-1)!;

const newToken = (): string => `fz${randomBytes(6).toString('hex')}`;
const recentMs = fc.integer({ min: 1_000, max: 3_600_000 }).map((ago) => Date.now() - ago);
/** A Loki timestamp: mostly plausible nanoseconds, sometimes not a timestamp at all. */
const hostileNs = fc.oneof(fc.constantFrom('0', '-1', '99999999999999999999999999', '', 'yesterday', '1e18', '1.5', ' 1'), hostileString, recentMs.map((ms) => `${ms}000000`));
const labelValue = fc.oneof(hostileString, fc.constantFrom('', 'a"b', 'a\\b', '}', '{x="y"}'));
const labels = fc.array(fc.tuple(hostileKey, labelValue), { maxLength: 4 });

describe(`fuzzing the Elasticsearch and Loki doors on ${engine}`, () => {
  let s: TestServer;
  let key: string;
  beforeAll(async () => {
    s = await startTestServer(engine, { MAX_BODY_BYTES: String(LIMIT) });
    key = await ingestKey(s);
  });
  afterAll(async () => {
    printTally();
    await s.cleanup();
  });

  const send = async (route: string, url: string, payload: Buffer, type: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> => {
    const res = await s.app.inject({ method: 'POST', url, payload, headers: { 'content-type': type, authorization: `Bearer ${key}`, ...headers } });
    count(`${route}${headers['content-encoding'] ? ` (${headers['content-encoding']})` : ''}`, res);
    return res;
  };
  const stored = async (token: string): Promise<number> =>
    Number((await s.db.query<{ n: string }>('SELECT count(*) AS n FROM logs WHERE message LIKE $1', [`${token} #%`])).rows[0]!.n);
  const alive = async (): Promise<void> => expect((await s.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  const esError = (res: LightMyRequestResponse, what: string): void => {
    expect(res.json<{ status: number; error: { type: string; reason: string } }>(), what).toMatchObject({ status: res.statusCode, error: { type: expect.any(String), reason: expect.any(String) } });
  };

  it('ES _bulk: stores every good document beside hostile ones, answering each item', async () => {
    const doc = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 30 }).map((t) => ({ good: true, text: t })),
      fc.oneof(hostileValue.map(toJson), deepNesting, hostileString.map((x) => x.replace(/[\r\n]/g, ' ').trim() || '{')).map((line) => ({ good: false, text: line })),
    );
    const op = fc.constantFrom('index', 'create');
    await fc.assert(fc.asyncProperty(fc.array(fc.tuple(op, doc), { minLength: 1, maxLength: 10 }), fc.constantFrom<'identity' | 'gzip'>('identity', 'gzip'), fc.nat(), async (pairs, w, seed) => {
      const token = newToken();
      const lines = pairs.flatMap(([o, d], i) => [JSON.stringify({ [o]: { _index: 'fuzz' } }),
        d.good ? JSON.stringify({ message: `${token} #${i} ${d.text}`, '@timestamp': new Date(Date.now() - 60_000).toISOString() }) : d.text]);
      const body = withInvalidUtf8(`${lines.join('\n')}\n`, seed);
      const { payload, headers } = encodeWire(body, w);
      const res = await send('ES _bulk', '/es/_bulk', payload, 'application/x-ndjson', headers);
      const what = lines.join('\\n').slice(0, 300);
      expectNo5xx(res, what);
      const good = pairs.filter(([, d]) => d.good).length;
      if (body.length > LIMIT) {
        expect(res.statusCode, what).toBe(413);
        expect(await stored(token)).toBe(0);
        return;
      }
      expect(res.statusCode, `${what} -> ${res.body.slice(0, 300)}`).toBe(200);
      const items = res.json<{ errors: boolean; items: Record<string, { status: number }>[] }>().items;
      expect(items, what).toHaveLength(pairs.length);
      for (const item of items) expect(Object.values(item)[0]!.status, what).toBeGreaterThanOrEqual(200);
      expect(await stored(token), what).toBe(good);
    }), { numRuns: fuzzRuns(0.3) });
    await alive();
  });

  it('answers a document nested thousands deep by its item, storing the rest (found by this fuzz: it was a 500)', async () => {
    const token = newToken();
    const deep = `${'{"d":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const doc = JSON.stringify({ message: `${token} #1`, '@timestamp': new Date(Date.now() - 60_000).toISOString() });
    const res = await send('ES _bulk', '/es/_bulk', Buffer.from(`{"index":{}}\n${deep}\n{"index":{}}\n${doc}\n`), 'application/x-ndjson');
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const items = res.json<{ items: { index: { status: number; error?: { reason: string } } }[] }>().items;
    expect(items.map((i) => i.index.status)).toEqual([400, 201]);
    expect(items[0]!.index.error!.reason).toMatch(/nested deeper than 32/);
    expect(await stored(token)).toBe(1);
  });

  it('answers Loki values nested thousands deep in a timestamp or metadata by their entry (the same fault as the Elasticsearch one: it was a 500)', async () => {
    const token = newToken();
    const deep = `${'{"d":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const ns = `${Date.now() - 60_000}000000`;
    const body = `{"streams":[{"stream":{"app":"a"},"values":[[${deep},"x"],["${ns}","y",{"m":${deep}}],["${ns}","${token} #1"]]}]}`;
    const res = await send('Loki push (JSON)', '/loki/api/v1/push', Buffer.from(body), 'application/json');
    expect(res.statusCode, res.body.slice(0, 300)).toBe(204);
    expect(res.headers['x-logsage-rejected']).toBe('1');
    expect(await stored(token)).toBe(1);
  });

  it('ES _bulk: hostile action lines and raw bytes get a 2xx or an Elasticsearch-shaped 4xx', async () => {
    const action = fc.oneof(hostileValue.map(toJson), deepNesting, fc.tuple(hostileKey, hostileValue).map(([k, v]) => toJson({ [k]: v })));
    const body = fc.oneof(fc.array(fc.tuple(action, hostileValue.map(toJson)), { minLength: 1, maxLength: 5 }).map((p) => Buffer.from(`${p.flat().join('\n')}\n`)), garbageBytes);
    await fc.assert(fc.asyncProperty(body, wire, async (b, w) => {
      const { payload, headers } = encodeWire(b, w);
      const res = await send('ES _bulk', '/es/_bulk', payload, 'application/x-ndjson', headers);
      const what = `${w} ${b.toString('utf8').slice(0, 200)}`;
      expectNo5xx(res, what);
      if (res.statusCode >= 400) esError(res, what);
      // 413: garbage after a gzip header can inflate past the limit before it fails.
      if (!readable(w)) expect([400, 413, 415], what).toContain(res.statusCode);
    }), { numRuns: fuzzRuns(0.15) });
    await alive();
  });

  it('Loki JSON push: stores every good line beside hostile labels, timestamps and lines', async () => {
    const value = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 30 }).map((t) => ({ good: true, t, ns: '', meta: [] as [string, string][] })),
      fc.record({ t: hostileString, ns: hostileNs, meta: labels }).map((v) => ({ good: false, ...v })),
    );
    const stream = fc.record({ labels, values: fc.array(value, { minLength: 1, maxLength: 6 }) });
    await fc.assert(fc.asyncProperty(fc.array(stream, { minLength: 1, maxLength: 4 }), fc.constantFrom<'identity' | 'gzip'>('identity', 'gzip'), fc.nat(), async (streams, w, seed) => {
      const token = newToken();
      let i = 0;
      const body = { streams: streams.map((st) => ({ stream: Object.fromEntries(st.labels), values: st.values.map((v) => {
        const n = i++;
        return v.good ? [`${Date.now() - 60_000 - n}000000`, `${token} #${n} ${v.t}`] : [v.ns, v.t, Object.fromEntries(v.meta)];
      }) })) };
      const raw = withInvalidUtf8(JSON.stringify(body), seed);
      const { payload, headers } = encodeWire(raw, w);
      const res = await send('Loki push (JSON)', '/loki/api/v1/push', payload, 'application/json', headers);
      const what = JSON.stringify(body).slice(0, 300);
      expectNo5xx(res, what);
      const good = streams.flatMap((st) => st.values).filter((v) => v.good).length;
      if (raw.length > LIMIT) return void expect(res.statusCode, what).toBe(413);
      if (good === 0) return void expect([204, 400], what).toContain(res.statusCode);
      expect(res.statusCode, `${what} -> ${res.body.slice(0, 300)}`).toBe(204);
      expect(await stored(token), what).toBe(good);
    }), { numRuns: fuzzRuns(0.2) });
    await alive();
  });

  it('Loki JSON push: hostile shapes and values anywhere get 204, 400 or 413, never a 5xx', async () => {
    const obj = fc.array(fc.tuple(hostileKey, hostileValue), { maxLength: 3 }).map((kv) => objectOf(kv));
    const value = fc.oneof(hostileValue, fc.tuple(hostileValue, hostileValue, obj).map((t): Tree => t));
    const body = fc.oneof(
      hostileValue,
      hostileValue.map((v): Tree => ({ streams: v })),
      fc.array(fc.record({ stream: fc.oneof(obj, hostileValue), values: fc.oneof(fc.array(value, { maxLength: 4 }), hostileValue) }), { maxLength: 3 })
        .map((st): Tree => ({ streams: st.map((x) => objectOf([['stream', x.stream], ['values', x.values]])) })),
    );
    await fc.assert(fc.asyncProperty(body, fc.nat(), async (b, seed) => {
      const raw = withInvalidUtf8(toJson(b), seed);
      const res = await send('Loki push (JSON)', '/loki/api/v1/push', raw, 'application/json');
      expectNo5xx(res, raw.toString('utf8').slice(0, 300));
      expect([204, 400, 413], res.body.slice(0, 200)).toContain(res.statusCode);
    }), { numRuns: fuzzRuns(0.15) });
    await alive();
  });

  it('Loki protobuf push: stores good entries beside hostile ones; garbage, bad labels and bombs get 400 or 413 text', async () => {
    const escape = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
    const entry = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 30 }).map((t) => ({ good: true, t, meta: [] as [string, string][] })),
      fc.record({ t: hostileString, meta: labels }).map((e) => ({ good: false, ...e })),
    );
    const stream = fc.record({ labels: fc.array(fc.tuple(fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,10}$/), labelValue), { maxLength: 3 }), entries: fc.array(entry, { minLength: 1, maxLength: 5 }) });
    await fc.assert(fc.asyncProperty(fc.array(stream, { minLength: 1, maxLength: 3 }), async (streams) => {
      const token = newToken();
      let i = 0;
      const ms = Date.now() - 60_000;
      const msg = PUSH.fromObject({ streams: streams.map((st) => ({
        labels: `{${[['app', 'fuzz'] as [string, string], ...st.labels.filter(([k]) => k !== 'app')].map(([k, v]) => `${k}="${escape(v)}"`).join(', ')}}`,
        entries: st.entries.map((e) => {
          const n = i++;
          return { timestamp: { seconds: Math.floor(ms / 1000), nanos: n }, line: e.good ? `${token} #${n} ${e.t}` : e.t, structuredMetadata: e.meta.map(([name, value]) => ({ name, value })) };
        }),
      })) });
      const res = await send('Loki push (protobuf)', '/loki/api/v1/push', compressSync(Buffer.from(PUSH.encode(msg).finish())), 'application/x-protobuf');
      const what = JSON.stringify(msg.toJSON()).slice(0, 300);
      expectNo5xx(res, what);
      const good = streams.flatMap((st) => st.entries).filter((e) => e.good).length;
      if (good === 0) return void expect([204, 400], what).toContain(res.statusCode);
      expect(res.statusCode, `${what} -> ${res.body.slice(0, 300)}`).toBe(204);
      expect(await stored(token), what).toBe(good);
    }), { numRuns: fuzzRuns(0.15) });
    const junk = fc.oneof(garbageBytes.map((b) => compressSync(b)), garbageBytes, hostileString.map((l) => compressSync(Buffer.from(PUSH.encode(PUSH.fromObject({ streams: [{ labels: l, entries: [{ line: 'x' }] }] })).finish()))));
    await fc.assert(fc.asyncProperty(junk, async (b) => {
      const res = await send('Loki push (protobuf)', '/loki/api/v1/push', b, 'application/x-protobuf');
      expectNo5xx(res, b.toString('hex').slice(0, 200));
      expect([204, 400, 413], res.body.slice(0, 200)).toContain(res.statusCode); // 413: a snappy header can claim any length
    }), { numRuns: fuzzRuns(0.1) });
    await fc.assert(fc.asyncProperty(bomb, async (b) => {
      const { payload, headers } = bombPayload(LIMIT, b, (x) => `{"streams":[{"stream":{},"values":[["1","${x}"]]}]}`);
      const res = await send('Loki push (JSON)', '/loki/api/v1/push', payload, 'application/json', headers);
      expect(res.statusCode, res.body.slice(0, 200)).toBe(413);
    }), { numRuns: fuzzRuns(0.05) });
    await alive();
  });
});
