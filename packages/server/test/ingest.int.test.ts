import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, buildLog, startTestServer, holdLogsTable, type TestServer } from './helpers.js';

// Yesterday 00:00 UTC: inside the retention window whatever day the suite runs.
const DAY = Math.floor(Date.now() / 86_400_000) * 86_400_000 - 86_400_000;
const iso = (hour: number, frac = ''): string => new Date(DAY + hour * 3_600_000).toISOString().replace('.000Z', `${frac || '.000'}Z`);

describe.each(ENGINES)('ingestion on %s', (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(engine, { MAX_BODY_BYTES: '65536' });
  });
  afterAll(() => s.cleanup());

  const post = (payload: unknown, headers: Record<string, string> = {}) =>
    s.app.inject({
      method: 'POST',
      url: '/api/v1/logs',
      headers: { 'content-type': 'application/json', ...headers },
      payload: typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload),
    });
  const count = async (where = 'true', params: unknown[] = []) =>
    Number((await s.db.query<{ n: string }>(`SELECT count(*) AS n FROM logs WHERE ${where}`, params)).rows[0]!.n);

  it("stores the seed's single object and reads service from source, metadata into attributes", async () => {
    const res = await post({ timestamp: iso(10), level: 'ERROR', message: 'seed single', source: 'user-service', metadata: { host: 'web-01' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ accepted: 1, duplicates: 0, rejected: 0, errors: [] });
    const row = (await s.db.query<{ level: string; service: string; attributes: unknown }>(
      "SELECT level, service, attributes FROM logs WHERE message = 'seed single'")).rows[0];
    expect(row).toEqual({ level: 'error', service: 'user-service', attributes: { host: 'web-01' } });
  });

  it('accepts an array and { logs: [...] }', async () => {
    expect((await post([buildLog({ message: 'arr-1' }), buildLog({ message: 'arr-2' })])).json().accepted).toBe(2);
    expect((await post({ logs: [buildLog({ message: 'wrap-1' })] })).json().accepted).toBe(1);
    expect(await count("message IN ('arr-1','arr-2','wrap-1')")).toBe(3);
  });

  it('accepts NDJSON with CRLF, blank lines and no final newline', async () => {
    const body = [buildLog({ message: 'nd-1' }), buildLog({ message: 'nd-2' })].map((l) => JSON.stringify(l)).join('\r\n') + '\r\n\r\n' + JSON.stringify(buildLog({ message: 'nd-3' }));
    const res = await post(body, { 'content-type': 'application/x-ndjson' });
    expect(res.json()).toMatchObject({ accepted: 3, rejected: 0 });
    expect(await count("message LIKE 'nd-%'")).toBe(3);
  });

  it('rejects a bad NDJSON line alone, by its index', async () => {
    const body = `${JSON.stringify(buildLog({ message: 'ndbad-0' }))}\n{not json\n${JSON.stringify(buildLog({ message: 'ndbad-2' }))}`;
    const res = await post(body, { 'content-type': 'application/x-ndjson' });
    expect(res.statusCode).toBe(200);
    expect(res.json().accepted).toBe(2);
    expect(res.json().errors).toEqual([{ index: 1, field: '', reason: expect.stringContaining('line 2 is not valid JSON') }]);
  });

  it('decompresses gzip and deflate bodies', async () => {
    const gz = gzipSync(JSON.stringify([buildLog({ message: 'gz-1' }), buildLog({ message: 'gz-2' })]));
    expect((await post(gz, { 'content-encoding': 'gzip' })).json().accepted).toBe(2);
    const { deflateSync } = await import('node:zlib');
    expect((await post(deflateSync(JSON.stringify(buildLog({ message: 'df-1' }))), { 'content-encoding': 'deflate' })).json().accepted).toBe(1);
    expect(await count("message IN ('gz-1','gz-2','df-1')")).toBe(3);
    const bad = await post(Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' });
    expect(bad.statusCode).toBe(400);
    expect((await post('{}', { 'content-encoding': 'br' })).statusCode).toBe(415);
  });

  it('stores the good entries of a partial batch and lists every rejection reason', async () => {
    const now = Date.now();
    const batch = [
      buildLog({ message: 'partial-good' }),
      'a string',
      buildLog({ message: '' }),
      buildLog({ message: 42 }),
      buildLog({ message: 'x', timestamp: 1e300 }),
      buildLog({ message: 'x', timestamp: 'yesterday-ish' }),
      buildLog({ message: 'x', timestamp: '2001-01-01T00:00:00Z' }),
      buildLog({ message: 'x', timestamp: now + 3 * 86_400_000 }),
      buildLog({ message: 'x', service: '' }),
      buildLog({ message: 'x', metadata: 'not an object' }),
      buildLog({ message: 'x', id: { nested: true } }),
    ];
    const res = await post(batch);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.accepted).toBe(1);
    expect(body.errors.map((e: { index: number; field: string }) => [e.index, e.field])).toEqual([
      [1, ''], [2, 'message'], [3, 'message'], [4, 'timestamp'], [5, 'timestamp'], [6, 'timestamp'], [7, 'timestamp'],
      [8, 'service'], [9, 'metadata'], [10, 'id'],
    ]);
    expect(body.errors[5].reason).toMatch(/older than the retention window/);
    expect(body.errors[6].reason).toMatch(/in the future/);
    expect(await count("message = 'partial-good'")).toBe(1);
  });

  it('refuses one hostile entry, not its batch: deep nesting, 1e300, __proto__ keys, unknown levels', async () => {
    const deep = `${'{"d":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const batch = [buildLog({ message: 'hostile-huge-time', timestamp: 1e300 }), buildLog({ message: 'hostile-good' })];
    const body = `[{"message":"hostile-deep","metadata":${deep}},${batch.map((e) => JSON.stringify(e)).join(',')},
      {"message":"hostile-proto","__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},"metadata":{"__proto__":{"y":2},"ok":1}},
      {"message":"hostile-level","level":"success"}]`;
    const res = await post(body, { 'content-type': 'application/json' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ accepted: 3, rejected: 2 });
    expect(res.json().errors.map((e: { index: number; field: string }) => [e.index, e.field])).toEqual([[0, 'attributes'], [1, 'timestamp']]);
    expect(res.json().errors[0].reason).toMatch(/nested deeper than 32 levels/);
    const rows = (await s.db.query<{ message: string; level: string; attributes: Record<string, unknown> }>(
      "SELECT message, level, attributes FROM logs WHERE message LIKE 'hostile-%' ORDER BY message")).rows;
    expect(rows.map((r) => r.message)).toEqual(['hostile-good', 'hostile-level', 'hostile-proto']);
    expect(rows[1]).toMatchObject({ level: 'unknown', attributes: { level: 'success' } });
    expect(rows[2]!.attributes).toEqual({ constructor: { prototype: { x: 1 } }, ok: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads a declared charset, NDJSON sent as application/json, and a level word opening a text line', async () => {
    const gbk = Buffer.from([0xca, 0xfd, 0xbe, 0xdd, 0xbf, 0xe2]); // 数据库 in GBK
    const json = Buffer.concat([Buffer.from('{"message":"charset '), gbk, Buffer.from('"}')]);
    expect((await post(json, { 'content-type': 'application/json; charset=GBK' })).json()).toMatchObject({ accepted: 1 });
    expect(await count("message = 'charset 数据库'")).toBe(1);
    expect((await post('x', { 'content-type': 'text/plain; charset=klingon' })).statusCode).toBe(415);
    const ndjson = `${JSON.stringify(buildLog({ message: 'ndjson-as-json 1' }))}\n${JSON.stringify(buildLog({ message: 'ndjson-as-json 2' }))}\n`;
    expect((await post(ndjson, { 'content-type': 'application/json' })).json()).toMatchObject({ accepted: 2 });
    const text = 'ERROR textlevel database down\n[WARN] textlevel slow query\ninfo: textlevel started\nAlert textlevel sent to user\nerrors textlevel counted';
    expect((await post(text, { 'content-type': 'text/plain' })).json()).toMatchObject({ accepted: 5 });
    const levels = (await s.db.query<{ message: string; level: string }>("SELECT message, level FROM logs WHERE message LIKE '%textlevel%' ORDER BY message")).rows;
    expect(Object.fromEntries(levels.map((r) => [r.message.split(' ')[0], r.level]))).toEqual({
      ERROR: 'error', '[WARN]': 'warn', 'info:': 'info', Alert: 'unknown', errors: 'unknown',
    });
  });

  it('refuses an over-long message', async () => {
    const s2 = await startTestServer(engine, { MAX_MESSAGE_BYTES: '100' });
    try {
      const r = await s2.app.inject({ method: 'POST', url: '/api/v1/logs', headers: { 'content-type': 'application/json' }, payload: JSON.stringify([buildLog({ message: 'y'.repeat(101) }), buildLog()]) });
      expect(r.json().errors).toEqual([{ index: 0, field: 'message', reason: 'message is longer than 100 bytes' }]);
    } finally {
      await s2.cleanup();
    }
  });

  it('answers 400 with reasons when nothing is usable, and for an empty batch', async () => {
    const res = await post([{ level: 'info' }, 7]);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'invalid_logs', details: { rejected: 2 } });
    expect((await post([])).json().error.message).toBe('the body holds no log entries');
    expect((await post('{"broken":')).statusCode).toBe(400);
  });

  it('answers 413 past the size limit, measured after decompression', async () => {
    const big = JSON.stringify([buildLog({ message: 'z'.repeat(70_000) })]);
    expect((await post(big)).statusCode).toBe(413);
    const bomb = gzipSync(Buffer.from(JSON.stringify([buildLog({ message: 'a'.repeat(5_000_000) })])));
    expect(bomb.length).toBeLessThan(65536);
    const res = await post(bomb, { 'content-encoding': 'gzip' });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('payload_too_large');
  });

  it('does not store a client event id twice, within a request or across requests', async () => {
    const e = buildLog({ id: 'evt-1', message: 'dedup', timestamp: iso(11, '.123456') });
    expect((await post([e, e])).json()).toMatchObject({ accepted: 2, duplicates: 1 });
    expect((await post(e)).json()).toMatchObject({ accepted: 1, duplicates: 1 });
    const [a, b] = await Promise.all([post({ ...e, event_id: 'evt-2' }), post({ ...e, event_id: 'evt-2' })]);
    expect(a.json().duplicates + b.json().duplicates).toBe(1);
    expect(await count("message = 'dedup'")).toBe(2);
  });

  it('stores a resent event id once whatever timestamp the resend carries, or none', async () => {
    const e = buildLog({ event_id: 'evt-resent', message: 'resent', timestamp: iso(11, '.000001') });
    expect((await post(e)).json()).toMatchObject({ accepted: 1, duplicates: 0 });
    expect((await post({ ...e, timestamp: iso(12, '.5') })).json()).toMatchObject({ accepted: 1, duplicates: 1 });
    const { timestamp: _, ...untimed } = e;
    expect((await post([untimed, { ...e, event_id: 'evt-fresh' }])).json()).toMatchObject({ accepted: 2, duplicates: 1 });
    expect(await count("message = 'resent'")).toBe(2);
    const stored = await s.db.query<{ event_id: string }>("SELECT event_id FROM logs WHERE message = 'resent' ORDER BY event_id");
    expect(stored.rows.map((r) => r.event_id)).toEqual(['evt-fresh', 'evt-resent']);
  });

  it('keeps microseconds, normalises levels and timestamps of every form', async () => {
    const t = DAY + 12 * 3_600_000;
    const forms = [
      { level: 'WARNING', timestamp: iso(12, '.654321') },
      { level: 'W', timestamp: t / 1000 },
      { level: 40, timestamp: t },
      { level: 4, timestamp: `${t}000000` },
      { level: '50', timestamp: t * 1000 },
    ];
    await post(forms.map((f, i) => buildLog({ ...f, message: `form-${i}` })));
    const rows = (await s.db.query<{ message: string; level: string; ts: string }>(
      `SELECT message, level, to_char(ts AT TIME ZONE 'UTC', 'HH24:MI:SS.US') AS ts FROM logs WHERE message LIKE 'form-%' ORDER BY message`)).rows;
    expect(rows.map((r) => [r.level, r.ts])).toEqual([
      ['warn', '12:00:00.654321'], ['warn', '12:00:00.000000'], ['warn', '12:00:00.000000'], ['warn', '12:00:00.000000'], ['error', '12:00:00.000000'],
    ]);
  });

  it('shares group commits between concurrent requests', async () => {
    const flushes = async () => Number(/logsage_ingest_flushes_total (\d+)/.exec((await s.app.inject({ method: 'GET', url: '/metrics' })).body)?.[1]);
    const before = await flushes();
    const lock = await holdLogsTable(s.db);
    const pending = Array.from({ length: 40 }, (_, i) => post([buildLog({ message: `conc-${i}-a` }), buildLog({ message: `conc-${i}-b` })]));
    await new Promise((r) => setTimeout(r, 300));
    await lock.release();
    const results = await Promise.all(pending);
    expect(results.map((r) => r.statusCode)).toEqual(Array(40).fill(200));
    expect((await flushes()) - before).toBeLessThanOrEqual(4);
    expect(await count("message LIKE 'conc-%'")).toBe(80);
  });
});
