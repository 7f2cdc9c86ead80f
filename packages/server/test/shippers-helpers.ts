import { randomBytes } from 'node:crypto';
import protobuf from 'protobufjs';
import { expect } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import type { TestServer } from './helpers.js';

/** A stored log as GET /api/v1/logs answers it (the fields shipper tests compare). */
export interface ReadLog {
  id: string;
  timestamp: string;
  level: string;
  service: string;
  message: string;
  attributes: Record<string, unknown>;
  event_id: string | null;
}

/** A lowercase word no other test writes, to find one test's records by full-text search. */
export const uniqueToken = (prefix = 'tok'): string => `${prefix}${randomBytes(6).toString('hex')}`;

/** Makes the server listen on a free local port (real clients need a socket) and returns its base URL. */
export async function listen(s: TestServer): Promise<string> {
  await s.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = s.app.server.address();
  if (addr === null || typeof addr === 'string') throw new Error('no TCP address');
  return `http://127.0.0.1:${addr.port}`;
}

/** A new ingest-scoped API key, as an operator would hand to a shipper. */
export async function ingestKey(s: TestServer): Promise<string> {
  const k = await s.security.auth.keys.create({ name: `shipper ${uniqueToken('k')}`, scopes: ['ingest'] }, { kind: 'user', id: '', name: 'test' });
  return k.key;
}

/** Every log whose message holds `token`, through the public read API, oldest first (all pages). */
export async function logsByToken(s: TestServer, token: string, from = new Date(Date.now() - 6 * 3_600_000).toISOString()): Promise<ReadLog[]> {
  const out: ReadLog[] = [];
  let cursor: string | null = null;
  do {
    const qs: string = new URLSearchParams({ q: token, limit: '1000', order: 'asc', from, ...(cursor ? { cursor } : {}) }).toString();
    const res: LightMyRequestResponse = await s.app.inject({ method: 'GET', url: `/api/v1/logs?${qs}` });
    expect(res.statusCode, res.body).toBe(200);
    const page: { logs: ReadLog[]; next_cursor: string | null } = res.json<{ logs: ReadLog[]; next_cursor: string | null }>();
    out.push(...page.logs);
    cursor = page.next_cursor;
  } while (cursor);
  return out;
}

/** Polls `logsByToken` until `n` logs are there (shippers flush on their own timers) or `ms` passed. */
export async function waitForLogs(s: TestServer, token: string, n: number, ms = 20_000): Promise<ReadLog[]> {
  const until = Date.now() + ms;
  for (;;) {
    const logs = await logsByToken(s, token);
    if (logs.length >= n || Date.now() > until) return logs;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Asserts each of `n` records `<token> #<i>` is stored exactly once; returns them by record number. */
export function exactlyOnce(logs: ReadLog[], token: string, n: number): Map<number, ReadLog> {
  const byRecord = new Map<number, ReadLog>();
  for (const log of logs) {
    const m = new RegExp(`${token} #(\\d+)\\b`).exec(log.message);
    expect(m, log.message).not.toBeNull();
    const i = Number(m![1]);
    expect(byRecord.has(i), `record ${i} stored twice`).toBe(false);
    byRecord.set(i, log);
  }
  expect(byRecord.size).toBe(n);
  return byRecord;
}

/** A timestamp `i` milliseconds (plus `micros` µs) after `base`, as ISO 8601 with microseconds. */
export function isoMicros(base: number, i: number, micros = 0): string {
  return new Date(base + i).toISOString().replace('Z', `${String(micros).padStart(3, '0')}Z`);
}

/**
 * Loki's pkg/push/push.proto as Promtail and Alloy encode it (structured metadata is field 3), in
 * Loki's own package: the tests encode with it, independently of the server's decoder schema.
 */
export const LOKI_PUSH = protobuf.parse(`
syntax = "proto3";
package logproto;
message Timestamp { int64 seconds = 1; int32 nanos = 2; }
message LabelPairAdapter { string name = 1; string value = 2; }
message EntryAdapter { Timestamp timestamp = 1; string line = 2; repeated LabelPairAdapter structuredMetadata = 3; }
message StreamAdapter { string labels = 1; repeated EntryAdapter entries = 2; uint64 hash = 3; }
message PushRequest { repeated StreamAdapter streams = 1; }
`).root.lookupType('logproto.PushRequest');
