// Property tests: generated hostile OTLP/HTTP log exports, JSON and protobuf. The process stays up,
// nothing is a 5xx, a 4xx carries a google.rpc.Status, and the good records of an export with bad
// ones beside them are all stored (200 with partial_success naming the rest).
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { ENGINES, startTestServer, type TestServer } from './helpers.js';
import { ExportLogsServiceRequest } from '../src/modules/otlp/index.js';
import { RpcStatus } from '../src/modules/otlp/proto.js';
import {
  bomb, bombPayload, count, encodeWire, expectNo5xx, fuzzRuns, garbageBytes, hostileKey, hostileNumber, hostileString, hostileValue, objectOf,
  printTally, readable, toJson, wire, withInvalidUtf8, type Tree,
} from './fuzz-arbitraries.js';

const LIMIT = 512 * 1024;
const engine = ENGINES.at(-1)!;
const nowNs = (): string => `${BigInt(Date.now() - 60_000) * 1_000_000n}`;

/** A well-typed AnyValue with hostile content: deep kvlists, odd keys, huge ints, raw bytes. */
const anyValue: fc.Arbitrary<Tree> = fc.letrec<{ v: Tree }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    hostileString.map((s): Tree => ({ stringValue: s })),
    fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String), fc.integer()).map((i): Tree => ({ intValue: i })),
    fc.double().map((d): Tree => ({ doubleValue: Number.isFinite(d) ? d : String(d) })),
    fc.boolean().map((b): Tree => ({ boolValue: b })),
    fc.uint8Array({ maxLength: 40 }).map((b): Tree => ({ bytesValue: Buffer.from(b).toString('base64') })),
    fc.array(tie('v'), { maxLength: 4 }).map((values): Tree => ({ arrayValue: { values } })),
    fc.array(fc.tuple(hostileKey, tie('v')), { maxLength: 4 }).map((kv): Tree => ({ kvlistValue: { values: kv.map(([key, value]) => ({ key, value })) } })),
    fc.constant<Tree>({}),
  ),
})).v;
const attributes = fc.array(fc.tuple(hostileKey, anyValue), { maxLength: 4 }).map((kv): Tree => kv.map(([key, value]) => ({ key, value })));
const badRecord = fc.record({
  timeUnixNano: fc.oneof(fc.constantFrom('0', '1', '99999999999999999999', '18446744073709551615', nowNs()), fc.nat().map(String)),
  severityNumber: fc.oneof(fc.integer({ min: -5, max: 40 }), fc.constant(2 ** 31 - 1)),
  severityText: hostileString,
  body: anyValue,
  attributes,
  traceId: fc.constantFrom('', 'zz', '5b8efff798038103d269b633813fc60c', '00'),
}).map((r) => ({ good: false as const, r }));
const goodRecord = fc.record({ text: fc.string({ unit: 'grapheme', maxLength: 30 }), attributes }).map((g) => ({ good: true as const, g }));
const exportRequest = fc.record({
  resource: attributes,
  scopes: fc.array(fc.array(fc.oneof(goodRecord, badRecord), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 3 }),
});
type Export = typeof exportRequest extends fc.Arbitrary<infer A> ? A : never;

/** The export as a plain object, good records carrying `<token> #<i>`; returns it with the good count. */
function build(e: Export, token: string): { request: Tree; good: number } {
  let i = 0;
  let good = 0;
  const scopeLogs = e.scopes.map((records): Tree => ({
    scope: { name: 'fuzz' },
    logRecords: records.map((rec): Tree => {
      const n = i++;
      if (!rec.good) return rec.r;
      good++;
      return { timeUnixNano: nowNs(), severityNumber: 9, body: { stringValue: `${token} #${n} ${rec.g.text}` }, attributes: rec.g.attributes };
    }),
  }));
  return { request: { resourceLogs: [{ resource: { attributes: e.resource }, scopeLogs }] }, good };
}

describe(`fuzzing OTLP/HTTP logs on ${engine}`, () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(engine, { MAX_BODY_BYTES: String(LIMIT) });
  });
  afterAll(async () => {
    printTally();
    await s.cleanup();
  });

  const send = async (payload: Buffer, type: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> => {
    const res = await s.app.inject({ method: 'POST', url: '/v1/logs', payload, headers: { 'content-type': type, ...headers } });
    count(`OTLP ${type}${headers['content-encoding'] ? ` (${headers['content-encoding']})` : ''}`, res);
    return res;
  };
  const stored = async (token: string): Promise<number> =>
    Number((await s.db.query<{ n: string }>('SELECT count(*) AS n FROM logs WHERE message LIKE $1', [`${token} #%`])).rows[0]!.n);
  const alive = async (): Promise<void> => expect((await s.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  /** A 4xx answer is a google.rpc.Status in the request's encoding. */
  const rpcStatus = (res: LightMyRequestResponse, what: string): void => {
    const st = res.headers['content-type'] === 'application/x-protobuf' ? RpcStatus.toObject(RpcStatus.decode(res.rawPayload)) : res.json<Record<string, unknown>>();
    expect(typeof st.code, `${what}: ${res.body.slice(0, 200)}`).toBe('number');
    expect(typeof st.message, what).toBe('string');
  };

  it('JSON and protobuf: stores every good record beside hostile ones, answering partial_success', async () => {
    await fc.assert(fc.asyncProperty(exportRequest, fc.boolean(), fc.constantFrom<'identity' | 'gzip'>('identity', 'gzip'), async (e, proto, w) => {
      const token = `fz${randomBytes(6).toString('hex')}`;
      const { request, good } = build(e, token);
      let body: Buffer;
      try {
        body = proto ? Buffer.from(ExportLogsServiceRequest.encode(ExportLogsServiceRequest.fromObject(request as Record<string, unknown>)).finish()) : Buffer.from(toJson(request));
      } catch {
        fc.pre(false); // a value protobufjs cannot encode: nothing a client could send
        return;
      }
      const { payload, headers } = encodeWire(body, w);
      const res = await send(payload, proto ? 'application/x-protobuf' : 'application/json', headers);
      const what = toJson(request).slice(0, 300);
      expectNo5xx(res, what);
      if (body.length > LIMIT) return void expect(res.statusCode, what).toBe(413);
      if (good > 0) expect(res.statusCode, `${what} -> ${res.body.slice(0, 300)}`).toBe(200);
      else expect([200, 400], what).toContain(res.statusCode);
      if (res.statusCode === 400) rpcStatus(res, what);
      expect(await stored(token), what).toBe(good);
    }), { numRuns: fuzzRuns(0.5) });
    await alive();
  });

  it('answers a record whose body or attribute is nested thousands deep by that record, storing the rest', async () => {
    const token = `fz${randomBytes(6).toString('hex')}`;
    const deep = `${'{"kvlistValue":{"values":[{"key":"d","value":'.repeat(3000)}{"stringValue":"x"}${'}]}}'.repeat(3000)}`;
    const records = `[{"timeUnixNano":"${nowNs()}","body":${deep}},{"timeUnixNano":"${nowNs()}","body":{"stringValue":"y"},"attributes":[{"key":"a","value":${deep}}]},` +
      `{"timeUnixNano":"${nowNs()}","body":{"stringValue":"${token} #1"}}]`;
    const res = await send(Buffer.from(`{"resourceLogs":[{"scopeLogs":[{"logRecords":${records}}]}]}`), 'application/json');
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(await stored(token)).toBe(1);
  });

  it('hostile shapes, raw bytes, broken compression and bombs get a google.rpc.Status 4xx or a 200, never a 5xx', async () => {
    const shape = fc.oneof(
      hostileValue,
      hostileValue.map((v): Tree => ({ resourceLogs: v })),
      fc.record({ r: hostileValue, sl: hostileValue, lr: hostileValue, k: hostileKey, n: hostileNumber })
        .map(({ r, sl, lr, k, n }): Tree => ({ resourceLogs: [objectOf([['resource', r], ['scopeLogs', [objectOf([['logRecords', [lr, objectOf([[k, n]])]], ['scope', sl]])]]])] })),
    ).map((t) => Buffer.from(toJson(t)));
    await fc.assert(fc.asyncProperty(fc.oneof(shape, garbageBytes), fc.boolean(), wire, fc.nat(), async (raw, proto, w, seed) => {
      const body = proto ? raw : withInvalidUtf8(raw.toString('utf8'), seed);
      const { payload, headers } = encodeWire(body, w);
      const res = await send(payload, proto ? 'application/x-protobuf' : 'application/json', headers);
      const what = `${w} ${body.toString('utf8').slice(0, 200)}`;
      expectNo5xx(res, what);
      expect([200, 400, 413, 415], what).toContain(res.statusCode);
      if (res.statusCode !== 200) rpcStatus(res, what);
      if (!readable(w)) expect(res.statusCode, what).not.toBe(200);
    }), { numRuns: fuzzRuns(0.4) });
    await fc.assert(fc.asyncProperty(bomb, async (b) => {
      const { payload, headers } = bombPayload(LIMIT, b, (x) => `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"stringValue":"${x}"}}]}]}]}`);
      const res = await send(payload, 'application/json', headers);
      expect(res.statusCode, res.body.slice(0, 200)).toBe(413);
      rpcStatus(res, 'bomb');
    }), { numRuns: fuzzRuns(0.1) });
    await alive();
  });
});
