// Generators of hostile request bodies shared by the fuzz-*.int.test.ts files. A value tree is
// serialised by `toJson`, which can write number tokens JSON.stringify never emits (1e999, -0,
// 1E-400), and strings may carry BAD_UTF8 marks that `withInvalidUtf8` turns into byte sequences
// no UTF-8 decoder accepts, so the same tree also tests the server's text decoding.
import { deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';

/** Cases per property: FUZZ_RUNS in the environment (npm run fuzz), a CI-sized default otherwise. */
export const fuzzRuns = (share = 1): number => Math.max(1, Math.round(Number(process.env.FUZZ_RUNS ?? 150) * share));

/** A number token written as is into JSON text. */
export interface RawNumber { raw: string }
/** A value tree: JSON plus raw number tokens. */
export type Tree = null | boolean | number | string | RawNumber | Tree[] | { [k: string]: Tree };

/** A private-use character in generated strings, replaced by invalid UTF-8 bytes on the wire. */
export const BAD_UTF8 = '\uE000';
const BAD_UTF8_BYTES = Buffer.from(BAD_UTF8);
const INVALID_SEQUENCES = [[0xff], [0xc0, 0x80], [0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0xfe, 0xfe]];

/** Keys that break naive object handling: prototype names, empty, very long, unicode, control characters. */
export const hostileKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '', ' ', '.', '$where', 'a.b', 'level', 'message', 'timestamp', '\u0000', '键', '🔥'),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.integer({ min: 200, max: 3000 }).map((n) => 'k'.repeat(n)),
);

/** Numbers past double range, negative zero, subnormals, and number-like strings. */
export const hostileNumber: fc.Arbitrary<Tree> = fc.oneof(
  fc.constantFrom<Tree>(1e300, -1e300, 5e-324, Number.MAX_SAFE_INTEGER + 2, -0, 0.1, 2 ** 63, -(2 ** 63)),
  fc.constantFrom<Tree>({ raw: '1e999' }, { raw: '-1e999' }, { raw: '-0' }, { raw: '1E-400' }, { raw: '123456789012345678901234567890' }, { raw: '0.0000000000000000000001' }),
  fc.constantFrom<Tree>('NaN', 'Infinity', '-Infinity', '-0', '1e309', '0x10', ''),
  fc.double(),
  fc.integer(),
);

/** Strings that are long, unicode, control-character or invalid-UTF-8 laden. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.array(fc.constantFrom('a', 'é', '数', '🔥', '\u0000', '\n', '\r', '"', '\\', '\u202e', '\ud800', BAD_UTF8), { maxLength: 40 }).map((a) => a.join('')),
  fc.integer({ min: 1000, max: 30_000 }).map((n) => 'x'.repeat(n)),
);

/** Any hostile value, nested up to a few levels (deep nesting has its own generator). */
export const hostileValue: fc.Arbitrary<Tree> = fc.letrec<{ v: Tree }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    hostileNumber,
    fc.constantFrom<Tree>(null, true, false),
    fc.array(tie('v'), { maxLength: 5 }),
    fc.array(fc.tuple(hostileKey, tie('v')), { maxLength: 5 }).map((kv) => objectOf(kv)),
    fc.constantFrom(2_000, 20_000).map((depth): Tree => ({ raw: `${'{"d":'.repeat(depth)}[1]${'}'.repeat(depth)}` })),
  ),
})).v;

/** An object with these entries; `__proto__` becomes an own key, as JSON.parse would make it. */
export function objectOf(entries: [string, Tree][]): { [k: string]: Tree } {
  const o: { [k: string]: Tree } = {};
  for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, configurable: true, writable: true });
  return o;
}

/** `depth` levels of objects or arrays around a leaf, as JSON text. */
export const deepNesting = fc.tuple(fc.integer({ min: 30, max: 5000 }), fc.boolean()).map(([depth, arrays]) =>
  arrays ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"d":'.repeat(depth)}1${'}'.repeat(depth)}`);

/** JSON text of a tree, raw number tokens included. */
export function toJson(t: Tree): string {
  if (t === null || typeof t !== 'object') return typeof t === 'number' && !Number.isFinite(t) ? 'null' : JSON.stringify(t);
  if (Array.isArray(t)) return `[${t.map(toJson).join(',')}]`;
  if ('raw' in t && typeof t.raw === 'string' && Object.keys(t).length === 1) return t.raw;
  return `{${Object.keys(t).map((k) => `${JSON.stringify(k)}:${toJson((t as Record<string, Tree>)[k]!)}`).join(',')}}`;
}

/** UTF-8 bytes of `text` with every BAD_UTF8 mark replaced by an invalid sequence (chosen by `seed`). */
export function withInvalidUtf8(text: string, seed = 0): Buffer {
  const buf = Buffer.from(text);
  if (!text.includes(BAD_UTF8)) return buf;
  const parts: Buffer[] = [];
  let from = 0;
  let k = seed;
  for (let at = buf.indexOf(BAD_UTF8_BYTES); at >= 0; at = buf.indexOf(BAD_UTF8_BYTES, from)) {
    parts.push(buf.subarray(from, at), Buffer.from(INVALID_SEQUENCES[k++ % INVALID_SEQUENCES.length]!));
    from = at + BAD_UTF8_BYTES.length;
  }
  parts.push(buf.subarray(from));
  return Buffer.concat(parts);
}

/** How a body travels: as is, compressed, or with a Content-Encoding it does not honour. */
export type Wire = 'identity' | 'gzip' | 'deflate' | 'truncated-gzip' | 'garbage-gzip' | 'unknown-encoding';
export const wire = fc.constantFrom<Wire>('identity', 'identity', 'identity', 'gzip', 'deflate', 'truncated-gzip', 'garbage-gzip', 'unknown-encoding');

/** The payload and headers for `body` sent as `w`. */
export function encodeWire(body: Buffer, w: Wire): { payload: Buffer; headers: Record<string, string> } {
  if (w === 'identity') return { payload: body, headers: {} };
  if (w === 'gzip') return { payload: gzipSync(body), headers: { 'content-encoding': 'gzip' } };
  if (w === 'deflate') return { payload: deflateSync(body), headers: { 'content-encoding': 'deflate' } };
  if (w === 'truncated-gzip') {
    const z = gzipSync(body);
    return { payload: z.subarray(0, Math.max(1, Math.floor(z.length / 2))), headers: { 'content-encoding': 'gzip' } };
  }
  if (w === 'garbage-gzip') return { payload: Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), body]), headers: { 'content-encoding': 'gzip' } };
  return { payload: body, headers: { 'content-encoding': 'x-bogus' } };
}

/** Whether `w` leaves the body readable (the others must be refused as a whole). */
export const readable = (w: Wire): boolean => w === 'identity' || w === 'gzip' || w === 'deflate';

/** A compression bomb: a highly compressible body `factor` times the limit, gzip or deflate. */
export const bomb = fc.record({ factor: fc.integer({ min: 2, max: 40 }), fill: fc.constantFrom('a', '0', ' ', '{', '\u0000'), deflate: fc.boolean() });
export function bombPayload(limit: number, b: { factor: number; fill: string; deflate: boolean }, wrap: (inner: string) => string): { payload: Buffer; headers: Record<string, string> } {
  const raw = Buffer.from(wrap(b.fill.repeat(limit * b.factor)));
  return b.deflate ? { payload: deflateSync(raw), headers: { 'content-encoding': 'deflate' } } : { payload: gzipSync(raw), headers: { 'content-encoding': 'gzip' } };
}

/** Raw bytes of any kind, including ones that start like gzip, protobuf or JSON. */
export const garbageBytes = fc.oneof(
  fc.uint8Array({ maxLength: 2000 }).map((a) => Buffer.from(a)),
  fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from(a)])),
  fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.concat([Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f]), Buffer.from(a)])),
  fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.concat([Buffer.from('{"'), Buffer.from(a)])),
);

/** Fails unless the response is not a 5xx; names the case in the message. */
export function expectNo5xx(res: LightMyRequestResponse, what: string): void {
  expect(res.statusCode, `${what}: ${res.statusCode} ${res.body.slice(0, 300)}`).toBeLessThan(500);
}

/** Fails unless `res` carries the house error shape `{ error: { code, message, details? } }`. */
export function expectErrorShape(res: LightMyRequestResponse, what: string): void {
  const body = res.json<{ error?: { code?: unknown; message?: unknown } }>();
  expect(typeof body.error?.code, `${what}: ${res.body.slice(0, 300)}`).toBe('string');
  expect(typeof body.error?.message, `${what}: ${res.body.slice(0, 300)}`).toBe('string');
}

const tally = new Map<string, Map<number, number>>();
/** Counts one answer per route and status, for the summary `printTally` writes. */
export function count(route: string, res: LightMyRequestResponse): void {
  const byStatus = tally.get(route) ?? new Map<number, number>();
  byStatus.set(res.statusCode, (byStatus.get(res.statusCode) ?? 0) + 1);
  tally.set(route, byStatus);
}
/** Writes cases per route and status when FUZZ_STATS is set (npm run fuzz sets it). */
export function printTally(): void {
  if (!process.env.FUZZ_STATS) return;
  for (const [route, byStatus] of tally) {
    const total = [...byStatus.values()].reduce((a, b) => a + b, 0);
    console.log(`fuzz ${route}: ${total} cases (${[...byStatus].sort((a, b) => a[0] - b[0]).map(([st, n]) => `${st}: ${n}`).join(', ')})`);
  }
}
