import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { ENGINES, startTestServer, type TestServer } from './helpers.js';
import { normalizeEntry } from '../src/modules/ingest/normalize.js';
import { micros, readByToken, uniqueToken } from './shippers-otlp-syslog-helpers.js';

// Payload shapes as Fluent Bit's out_http and Vector's http sink send them by default (their docs:
// Fluent Bit "Output formats" json / json_lines with json_date_key=date, json_date_format=double;
// Vector http sink with encoding.codec=json, which frames a batch as a JSON array unless
// framing.method=newline_delimited is set). Each test states the exact body and headers.
const secs = (d: Date): number => d.getTime() / 1000;

describe.each(ENGINES)('Fluent Bit out_http and Vector http sink payloads on %s', (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(engine);
  });
  afterAll(() => s.cleanup());

  const post = (body: string | Buffer, headers: Record<string, string>): Promise<LightMyRequestResponse> =>
    s.app.inject({ method: 'POST', url: '/api/v1/logs', headers, payload: body });
  const at = new Date(Date.now() - 30_000);
  const atMicros = Math.floor(at.getTime()) * 1000 + 654; // a time with microseconds, as the shippers have

  it('Fluent Bit format json: a JSON array, `date` as float seconds, the line in `log` with its newline, docker/kubernetes fields', async () => {
    const token = uniqueToken('fb');
    const date = atMicros / 1e6;
    const records = [
      { date, log: `${token} tail line\n` },
      { date, log: `${token} docker line\n`, stream: 'stderr', time: `${at.toISOString().slice(0, 19)}.000654321Z` },
      // An app time Fluent Bit's parser left as text we cannot read: the shipper's `date` is used instead.
      { date, log: `${token} nginx line\n`, timestamp: '02/Dec/2026:10:00:00 +0000', kubernetes: { pod_name: 'web-0', namespace_name: 'shop', container_name: 'nginx' } },
      // Merged JSON from the application: its own message, level and service win over `log`.
      { date, log: '{"raw":true}\n', message: `${token} app json`, level: 'warn', service: 'cart' },
    ];
    const r = await post(JSON.stringify(records), { 'content-type': 'application/json', 'user-agent': 'Fluent-Bit' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ accepted: 4, rejected: 0 });
    const logs = await readByToken(s, token);
    const by = (m: string) => logs.find((l) => l.message === `${token} ${m}`)!;
    expect(by('tail line')).toMatchObject({ service: 'unknown', level: 'unknown', attributes: {} });
    expect(micros(by('tail line').timestamp)).toBe(atMicros);
    expect(by('docker line').attributes).toEqual({ stream: 'stderr', date });
    // The container runtime's nanosecond `time` wins over Fluent Bit's `date`; 654.321 µs keeps 654.
    expect(micros(by('docker line').timestamp)).toBe(Math.floor(at.getTime() / 1000) * 1e6 + 654);
    expect(by('nginx line').attributes).toEqual({ timestamp: '02/Dec/2026:10:00:00 +0000', kubernetes: { pod_name: 'web-0', namespace_name: 'shop', container_name: 'nginx' } });
    expect(micros(by('nginx line').timestamp)).toBe(atMicros);
    expect(by('app json')).toMatchObject({ service: 'cart', level: 'warn', attributes: { log: '{"raw":true}\n' } });
  });

  const jsonLines = (token: string): Buffer =>
    gzipSync([0, 1, 2].map((i) => JSON.stringify({ date: secs(at), log: `${token} line ${i}\n` })).join('\n') + '\n');

  it('Fluent Bit json_lines with gzip, as application/x-ndjson (Fluent Bit releases after fluent/fluent-bit#8715)', async () => {
    const token = uniqueToken('fl');
    const r = await post(jsonLines(token), { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' });
    expect(r.statusCode).toBe(200);
    expect((await readByToken(s, token)).map((l) => l.message).sort()).toEqual([0, 1, 2].map((i) => `${token} line ${i}`));
  });

  it('Fluent Bit json_lines labelled application/json (releases before fluent/fluent-bit#8715) is read as NDJSON', async () => {
    const token = uniqueToken('fj');
    const r = await post(jsonLines(token), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(r.json()).toMatchObject({ accepted: 3, rejected: 0 });
    expect((await readByToken(s, token)).map((l) => l.message).sort()).toEqual([0, 1, 2].map((i) => `${token} line ${i}`));
  });

  it('Vector http sink, codec json: a JSON array with RFC 3339 nanosecond `timestamp`, `message`, `host`, `source_type`', async () => {
    const token = uniqueToken('vx');
    const ts = `${at.toISOString().slice(0, 19)}.000654000Z`;
    const events = [
      { file: '/var/log/app.log', host: 'web-3', message: `${token} from file`, source_type: 'file', timestamp: ts },
      { host: 'web-3', message: `${token} from stdin`, source_type: 'stdin', timestamp: ts, service: 'billing', level: 'ERROR' },
    ];
    const r = await post(JSON.stringify(events), { 'content-type': 'application/json', 'user-agent': 'Vector/0.50.0' });
    expect(r.json()).toMatchObject({ accepted: 2, rejected: 0 });
    const logs = await readByToken(s, token);
    const file = logs.find((l) => l.message.endsWith('from file'))!;
    expect(file).toMatchObject({ service: 'unknown', level: 'unknown', attributes: { file: '/var/log/app.log', host: 'web-3', source_type: 'file' } });
    expect(micros(file.timestamp)).toBe(Math.floor(at.getTime() / 1000) * 1e6 + 654);
    expect(logs.find((l) => l.message.endsWith('from stdin'))).toMatchObject({ service: 'billing', level: 'error', attributes: { host: 'web-3', source_type: 'stdin' } });
  });

  it('Vector http sink, codec json with framing newline_delimited: NDJSON as application/x-ndjson', async () => {
    const token = uniqueToken('vn');
    const body = [0, 1].map((i) => JSON.stringify({ host: 'h', message: `${token} n${i}`, source_type: 'demo_logs', timestamp: at.toISOString() })).join('\n') + '\n';
    const r = await post(body, { 'content-type': 'application/x-ndjson' });
    expect(r.json()).toMatchObject({ accepted: 2 });
    expect(await readByToken(s, token)).toHaveLength(2);
  });
});

describe('normaliser details the shippers rely on', () => {
  const now = Date.now();
  const limits = { now, minTs: now - 86_400_000, maxTs: now + 86_400_000, maxMessageBytes: 1024 };
  it('keeps an unreadable time as an attribute when another time field reads, and still refuses it when none does', () => {
    const ok = normalizeEntry({ message: 'm', time: 'not a time', date: now / 1000 }, limits);
    expect('row' in ok && ok.row.attributes).toEqual({ time: 'not a time' });
    expect(normalizeEntry({ message: 'm', time: 'not a time' }, limits)).toEqual({ rejection: { field: 'time', reason: 'unreadable timestamp "not a time"' } });
  });
  it('drops one trailing newline (LF or CRLF) from the message, and nothing else', () => {
    const msg = (m: string) => { const r = normalizeEntry({ message: m }, limits); return 'row' in r ? r.row.message : undefined; };
    expect(msg('a\n')).toBe('a');
    expect(msg('a\r\n')).toBe('a');
    expect(msg('a\n\n')).toBe('a\n');
    expect(msg('  a b ')).toBe('  a b ');
    expect(normalizeEntry({ message: '\n' }, limits)).toMatchObject({ rejection: { field: 'message' } });
  });
});
