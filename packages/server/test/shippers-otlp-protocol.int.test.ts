import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { ENGINES, startTestServer, type TestServer } from './helpers.js';
import { ExportLogsServiceRequest, ExportLogsServiceResponse } from '../src/modules/otlp/index.js';
import { RpcStatus } from '../src/modules/otlp/proto.js';
import { micros, readByToken, uniqueToken } from './shippers-otlp-syslog-helpers.js';

/** An ExportLogsServiceRequest in the OTLP JSON mapping, stating only the records a test cares about. */
const request = (records: Record<string, unknown>[], service = 'api') => ({
  resourceLogs: [{
    resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
    scopeLogs: [{ scope: { name: 'proto-test' }, logRecords: records }],
  }],
});
const nowNs = (): string => `${BigInt(Date.now()) * 1_000_000n + 123_456n}`;

describe.each(ENGINES)('OTLP/HTTP answers on %s', (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(engine, { MAX_BODY_BYTES: '65536' });
  });
  afterAll(() => s.cleanup());

  const postJson = (body: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> =>
    s.app.inject({ method: 'POST', url: '/v1/logs', headers: { 'content-type': 'application/json', ...headers }, payload: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body) });
  const postProto = (body: Buffer, url = '/v1/logs'): Promise<LightMyRequestResponse> =>
    s.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-protobuf' }, payload: body });
  const encode = (req: unknown): Buffer => Buffer.from(ExportLogsServiceRequest.encode(ExportLogsServiceRequest.fromObject(req as Record<string, unknown>)).finish());

  it('answers an empty JSON ExportLogsServiceResponse when every record is stored, and keeps nanosecond time to the microsecond', async () => {
    const token = uniqueToken('oj');
    const ns = nowNs();
    const r = await postJson(request([{ timeUnixNano: ns, severityNumber: 10, body: { stringValue: `${token} ok` } }]));
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.json()).toEqual({});
    const [log] = await readByToken(s, token);
    expect(log).toMatchObject({ service: 'api', level: 'info', message: `${token} ok` });
    expect(micros(log!.timestamp)).toBe(Number(BigInt(ns) / 1000n));
  });

  it('answers partial_success naming the refused records, and stores the rest (JSON and protobuf)', async () => {
    const token = uniqueToken('op');
    const records = [
      { timeUnixNano: nowNs(), body: { stringValue: `${token} good` } },
      { timeUnixNano: '86400000000000', body: { stringValue: `${token} too old` } }, // 1970-01-02
      { timeUnixNano: nowNs(), body: {} }, // no body, no event name: nothing to store as a message
    ];
    const j = await postJson(request(records));
    expect(j.statusCode).toBe(200);
    expect(j.json()).toEqual({ partialSuccess: { rejectedLogRecords: 2, errorMessage: expect.stringMatching(/^2 of 3 log records rejected; record 1 \(timestamp\): .*older than the retention window.*; record 2 \(message\)/) } });
    const p = await postProto(encode(request(records)));
    expect(p.statusCode).toBe(200);
    expect(p.headers['content-type']).toBe('application/x-protobuf');
    const decoded = ExportLogsServiceResponse.toObject(ExportLogsServiceResponse.decode(p.rawPayload), { longs: Number });
    expect(decoded).toEqual({ partialSuccess: { rejectedLogRecords: 2, errorMessage: expect.stringContaining('2 of 3 log records rejected') } });
    expect((await readByToken(s, token)).map((l) => l.message)).toEqual([`${token} good`, `${token} good`]);
  });

  it('answers 200 with every record in partial_success when none is usable (the request itself was fine)', async () => {
    const r = await postJson(request([{ timeUnixNano: '1', body: { stringValue: 'ancient' } }]));
    expect(r.statusCode).toBe(200);
    expect(r.json().partialSuccess.rejectedLogRecords).toBe(1);
  });

  it('maps severityText when severityNumber is 0, a structured body, eventName, observed time, and log.record.uid as the event id (stored once)', async () => {
    const token = uniqueToken('os');
    const observed = nowNs();
    const rec = {
      observedTimeUnixNano: observed,
      severityText: 'Warning',
      eventName: 'order.failed',
      body: { kvlistValue: { values: [{ key: 'token', value: { stringValue: token } }, { key: 'n', value: { intValue: '42' } }, { key: 'tags', value: { arrayValue: { values: [{ boolValue: true }, { doubleValue: 1.5 }] } } }] } },
      attributes: [{ key: 'log.record.uid', value: { stringValue: `uid-${token}` } }, { key: 'big', value: { intValue: '9007199254740993' } }],
      traceId: '5B8EFFF798038103D269B633813FC60C', spanId: 'EEE19B7EC3C1B174', flags: 1,
    };
    expect((await postJson(request([rec], 'orders'))).statusCode).toBe(200);
    expect((await postProto(encode({ ...request([{ ...rec, traceId: Buffer.from(rec.traceId, 'hex'), spanId: Buffer.from(rec.spanId, 'hex') }], 'orders') }))).statusCode).toBe(200);
    const logs = await readByToken(s, token);
    expect(logs).toHaveLength(1); // the second export carried the same log.record.uid
    expect(logs[0]).toMatchObject({ service: 'orders', level: 'warn', event_id: `uid-${token}`, message: JSON.stringify({ token, n: 42, tags: [true, 1.5] }) });
    expect(micros(logs[0]!.timestamp)).toBe(Number(BigInt(observed) / 1000n));
    expect(logs[0]!.attributes).toEqual({
      'otel.scope.name': 'proto-test', 'log.record.uid': `uid-${token}`, big: '9007199254740993', severity_text: 'Warning', event_name: 'order.failed',
      body: { token, n: 42, tags: [true, 1.5] }, trace_id: '5b8efff798038103d269b633813fc60c', span_id: 'eee19b7ec3c1b174', trace_flags: '01',
    });
  });

  it('reads gzip bodies on /v1/logs and /otlp/v1/logs', async () => {
    const token = uniqueToken('oz');
    const body = request([{ timeUnixNano: nowNs(), body: { stringValue: `${token} zipped` } }]);
    expect((await postJson(gzipSync(JSON.stringify(body)), { 'content-encoding': 'gzip' })).statusCode).toBe(200);
    // Without Content-Encoding the gzip bytes are read as protobuf, and are not a request.
    expect((await postProto(gzipSync(encode(body)), '/otlp/v1/logs')).statusCode).toBe(400);
    const r = await s.app.inject({ method: 'POST', url: '/otlp/v1/logs', headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' }, payload: gzipSync(encode(body)) });
    expect(r.statusCode).toBe(200);
    expect(await readByToken(s, token)).toHaveLength(2);
  });

  it('answers 400 with a google.rpc.Status in the request encoding for an undecodable body', async () => {
    const p = await postProto(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]));
    expect(p.statusCode).toBe(400);
    expect(p.headers['content-type']).toBe('application/x-protobuf');
    expect(RpcStatus.toObject(RpcStatus.decode(p.rawPayload))).toMatchObject({ code: 3, message: expect.stringContaining('not a valid ExportLogsServiceRequest') });
    const j = await postJson('{"resourceLogs": [');
    expect(j.statusCode).toBe(400);
    expect(j.json()).toMatchObject({ code: 3, message: expect.any(String) });
    const shape = await postJson({ resourceLogs: { not: 'a list' } });
    expect(shape.statusCode).toBe(400);
    expect(shape.json()).toEqual({ code: 3, message: expect.stringContaining('resourceLogs must be an array') });
  });

  it('answers 415 for other content types, 413 past the size limit after decompression, 401 without a key', async () => {
    const t = await s.app.inject({ method: 'POST', url: '/v1/logs', headers: { 'content-type': 'text/xml' }, payload: '<x/>' });
    expect(t.statusCode).toBe(415);
    const big = request(Array.from({ length: 800 }, () => ({ body: { stringValue: 'x'.repeat(100) } })));
    const z = await postJson(gzipSync(JSON.stringify(big)), { 'content-encoding': 'gzip' });
    expect(z.statusCode).toBe(413);
    expect(z.json()).toMatchObject({ code: 8 });
    const a = await s.bare({ method: 'POST', url: '/v1/logs', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(request([])) });
    expect(a.statusCode).toBe(401);
    expect(a.json()).toMatchObject({ code: 16 });
  });
});
