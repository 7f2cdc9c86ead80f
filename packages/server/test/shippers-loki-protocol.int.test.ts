import { gzipSync } from 'node:zlib';
import { compressSync } from 'snappy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers.js';
import { LOKI_PUSH as PUSH, ingestKey, logsByToken, uniqueToken } from './shippers-helpers.js';

const nowNs = (offsetMs = 0, extraNs = 0n) => (BigInt(Date.now() - 60_000 + offsetMs) * 1_000_000n + extraNs).toString();

describe('Loki push: encodings, labels, partial batches, resends and errors (PGlite)', () => {
  let s: TestServer;
  let key: string;
  beforeAll(async () => {
    s = await startTestServer('pglite');
    key = await ingestKey(s);
  });
  afterAll(() => s.cleanup());

  const push = (payload: Buffer | string, headers: Record<string, string> = {}) =>
    s.app.inject({ method: 'POST', url: '/loki/api/v1/push', payload, headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers } });

  it('reads gzip JSON with structured metadata, keeps nanosecond timestamps to the microsecond, maps service and level labels', async () => {
    const t = uniqueToken();
    const ns = nowNs(0, 123_456n);
    const body = { streams: [{ stream: { job: 'varlogs', app: 'api', detected_level: 'WARN', pod: 'api-1' }, values: [[ns, `${t} gz line`, { trace_id: 'abc' }]] }] };
    const res = await push(gzipSync(JSON.stringify(body)), { 'content-encoding': 'gzip', 'x-scope-orgid': 'tenant-1' });
    expect(res.statusCode).toBe(204);
    const [log] = await logsByToken(s, t);
    const ms = Number(BigInt(ns) / 1_000_000n);
    expect(log).toMatchObject({ service: 'api', level: 'warn', attributes: { job: 'varlogs', pod: 'api-1', trace_id: 'abc' } });
    expect(log!.timestamp).toBe(new Date(ms).toISOString().replace('Z', '123Z'));
  });

  it('reads snappy protobuf with structured metadata and Prometheus-form labels (escapes included)', async () => {
    const t = uniqueToken();
    const ms = Date.now() - 30_000;
    const msg = PUSH.fromObject({
      streams: [{
        labels: '{service_name="checkout", level="error", path="C:\\\\tmp \\"x\\""}',
        entries: [{ timestamp: { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 + 7_000 }, line: `${t} proto line`, structuredMetadata: [{ name: 'user', value: 'u1' }] }],
      }],
    });
    const res = await push(compressSync(Buffer.from(PUSH.encode(msg).finish())), { 'content-type': 'application/x-protobuf' });
    expect(res.statusCode).toBe(204);
    const [log] = await logsByToken(s, t);
    expect(log).toMatchObject({ service: 'checkout', level: 'error', attributes: { path: 'C:\\tmp "x"', user: 'u1' } });
    expect(log!.timestamp).toBe(new Date(ms).toISOString().replace('Z', '007Z'));
  });

  it('takes the level from a JSON or logfmt line when no label gives one, and service from job as the last label', async () => {
    const t = uniqueToken();
    const body = { streams: [{ stream: { job: 'batch' }, values: [
      [nowNs(1), `{"level":"error","msg":"${t} json"}`],
      [nowNs(2), `ts=1 level=debug msg="${t} logfmt"`],
      [nowNs(3), `${t} plain`],
    ] }, { stream: {}, values: [[nowNs(4), `${t} nolabels`]] }] };
    expect((await push(JSON.stringify(body))).statusCode).toBe(204);
    const levels = Object.fromEntries((await logsByToken(s, t)).map((l) => [l.message.includes('json') ? 'json' : l.message.includes('logfmt') ? 'logfmt' : l.message.split(' ')[1], [l.service, l.level]]));
    expect(levels).toEqual({ json: ['batch', 'error'], logfmt: ['batch', 'debug'], plain: ['batch', 'unknown'], nolabels: ['unknown', 'unknown'] });
  });

  it('stores a resent push once: the event id is derived from labels, timestamp and line', async () => {
    const t = uniqueToken();
    const ns = nowNs();
    const body = JSON.stringify({ streams: [{ stream: { app: 'a', level: 'info' }, values: [[ns, `${t} once`], [ns, `${t} other line same time`]] }] });
    for (let k = 0; k < 3; k++) expect((await push(body)).statusCode).toBe(204);
    const same = JSON.stringify({ streams: [{ stream: { level: 'info', app: 'a' }, values: [[ns, `${t} once`]] }] }); // labels in another order
    expect((await push(same)).statusCode).toBe(204);
    expect((await logsByToken(s, t)).map((l) => l.message).sort()).toEqual([`${t} once`, `${t} other line same time`]);
  });

  it('stores the good entries of a partly bad push and answers 2xx with the rejected count; 400 text when none is usable', async () => {
    const t = uniqueToken();
    const old = (BigInt(Date.parse('2001-01-01T00:00:00Z')) * 1_000_000n).toString();
    const partial = { streams: [{ stream: { app: 'a' }, values: [[nowNs(), `${t} good`], [old, `${t} too old`], ['yesterday', `${t} bad ts`]] }] };
    const res = await push(JSON.stringify(partial));
    expect(res.statusCode).toBe(204);
    expect(res.headers['x-logsage-rejected']).toBe('2');
    expect((await logsByToken(s, t)).map((l) => l.message)).toEqual([`${t} good`]);
    const none = await push(JSON.stringify({ streams: [{ stream: { app: 'a' }, values: [[old, 'x']] }] }));
    expect(none.statusCode).toBe(400);
    expect(none.headers['content-type']).toMatch(/^text\/plain/);
    expect(none.body).toMatch(/entry 0 \(timestamp\): .*retention/);
  });

  it('answers 400 in plain text for bodies it cannot read, 401 without a key, 413 past the limit', async () => {
    for (const [payload, type, reason] of [
      ['{"streams": [', 'application/json', /not valid JSON/],
      ['{"nope": 1}', 'application/json', /streams/],
      [Buffer.from('not snappy at all'), 'application/x-protobuf', /snappy|PushRequest/],
      [compressSync(Buffer.from(PUSH.encode(PUSH.fromObject({ streams: [{ labels: 'app=x', entries: [] }] })).finish())), 'application/x-protobuf', /error parsing labels/],
    ] as const) {
      const res = await push(payload, { 'content-type': type });
      expect(res.statusCode, String(reason)).toBe(400);
      expect(res.body).toMatch(reason);
    }
    const anon = await s.bare({ method: 'POST', url: '/loki/api/v1/push', payload: '{"streams":[]}', headers: { 'content-type': 'application/json' } });
    expect(anon.statusCode).toBe(401);
    const big = Buffer.alloc(s.cfg.MAX_BODY_BYTES + 1, 'a');
    const bomb = await push(compressSync(big), { 'content-type': 'application/x-protobuf' });
    expect(bomb.statusCode).toBe(413);
  });
});
