import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from './helpers.js';

// Yesterday 10:00 UTC: inside the retention window whatever day the suite runs.
const BASE = Math.floor(Date.now() / 86_400_000) * 86_400_000 - 86_400_000 + 10 * 3_600_000;
const p2 = (n: number): string => String(n).padStart(2, '0');
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Line i's instant: one second apart, 123 ms past the second. */
const at = (i: number): Date => new Date(BASE + i * 1000 + 123);
const ymd = (d: Date): string => `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`;
const hms = (d: Date): string => `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;

/** A header format no fixture names: line i, and what its header carries. */
interface Format {
  line: (i: number, d?: Date) => string;
  /** The instant the header names (ms), the level it maps to, the attributes it yields. */
  expect: (i: number) => { ts: number; level: string; attributes: Record<string, string> };
}

const JAVA_LEVELS = ['WARN', 'INFO', 'ERROR', 'INFO', 'DEBUG'];
const CLASSES = ['Pay', 'Ledger', 'Refund'];
const java: Format = {
  line: (i, d = at(i)) => `${ymd(d)} ${hms(d)},123 ${JAVA_LEVELS[i % 5]} [pool-3-thread-${1 + (i % 7)}] com.acme.${CLASSES[i % 3]} - retry ${i % 4} of order ${1000 + i * 7}`,
  expect: (i) => ({ ts: at(i).getTime(), level: JAVA_LEVELS[i % 5]!.toLowerCase(), attributes: { component: `com.acme.${CLASSES[i % 3]}` } }),
};
const syslog: Format = {
  line: (i, d = at(i)) => `${MON[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${hms(d)} web-${1 + (i % 4)} nginx[${810 + (i % 5)}]: upstream timed out after ${i * 3} ms while reading ${['/api', '/login', '/cart'][i % 3]}`,
  // Seconds only: the header has no fraction. No level in the header: `unknown`, as before.
  expect: (i) => ({ ts: at(i).getTime() - 123, level: 'unknown', attributes: { host: `web-${1 + (i % 4)}`, component: 'nginx' } }),
};
const EPOCH_LEVELS = ['E', 'W', 'I'];
const epoch: Format = {
  line: (i, d = at(i)) => `${(d.getTime() / 1000).toFixed(3)} ${EPOCH_LEVELS[i % 3]} worker-${i % 4} queue ${['full', 'drained', 'stalled'][i % 3]} at depth ${i * 11}`,
  expect: (i) => ({ ts: at(i).getTime(), level: ['error', 'warn', 'info'][i % 3]!, attributes: { component: `worker-${i % 4}` } }),
};

interface Stored {
  message: string;
  ms: number;
  level: string;
  attributes: Record<string, unknown>;
}

const lines = (f: Format, n: number, from = 0): string[] => Array.from({ length: n }, (_, i) => f.line(from + i));

describe.each(ENGINES)('header fields at ingest on %s', (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(engine);
  });
  afterAll(() => s.cleanup());

  const post = async (server: TestServer, payload: string, type = 'text/plain') => {
    const r = await server.app.inject({ method: 'POST', url: '/api/v1/logs', headers: { 'content-type': type }, payload });
    expect(r.statusCode).toBe(200);
    return r.json<{ accepted: number; rejected: number }>();
  };
  const stored = async (server: TestServer, where: string, params: unknown[] = []): Promise<Map<string, Stored>> => {
    const r = await server.db.query<Stored>(
      `SELECT message, (extract(epoch FROM ts) * 1000)::float8 AS ms, level, attributes FROM logs WHERE ${where}`, params);
    return new Map(r.rows.map((row) => [row.message, { ...row, ms: Math.round(Number(row.ms)) }]));
  };
  /** Every line stored with its full text and the fields its header carries. */
  const expectFilled = (rows: Map<string, Stored>, f: Format, n: number, from = 0) => {
    for (let i = from; i < from + n; i++) {
      const row = rows.get(f.line(i));
      expect(row, f.line(i)).toBeDefined();
      const want = f.expect(i);
      expect({ ms: row!.ms, level: row!.level, attributes: row!.attributes }, f.line(i)).toEqual({ ms: want.ts, level: want.level, attributes: want.attributes });
    }
  };
  /** Stored as before headers were read: receive time, no level, no attributes. */
  const expectUntouched = (rows: Map<string, Stored>, texts: string[], from: number, to: number) => {
    for (const text of texts) {
      const row = rows.get(text);
      expect(row, text).toBeDefined();
      expect(row!.ms, text).toBeGreaterThanOrEqual(from);
      expect(row!.ms, text).toBeLessThanOrEqual(to);
      expect(row!.level, text).toBe('unknown');
      expect(row!.attributes, text).toEqual({});
    }
  };

  it('fills time, level and component of text/plain lines from the learned header; the text stays whole', async () => {
    const body = lines(java, 45);
    expect(await post(s, body.join('\n'))).toMatchObject({ accepted: 45, rejected: 0 });
    const rows = await stored(s, "message LIKE '%com.acme.%'");
    expect(rows.size).toBe(45);
    expectFilled(rows, java, 45);
  });

  it('leaves a line whose header does not fit the learned layout, or names a time outside the window, as it was', async () => {
    // text/plain lines all belong to the service `unknown`, which learned the Java layout above.
    const other = lines(epoch, 5, 100);
    const old = java.line(200, new Date(Date.UTC(2001, 0, 1, 10)));
    const before = Date.now();
    expect(await post(s, [...other, old].join('\n'))).toMatchObject({ accepted: 6 });
    const after = Date.now();
    const rows = await stored(s, 'message = ANY($1)', [[...other, old]]);
    expectUntouched(rows, other, before, after);
    // It fits: level and component are filled; the year-2001 time is not, the receive time stays.
    const row = rows.get(old)!;
    expect(row.ms).toBeGreaterThanOrEqual(before);
    expect(row.ms).toBeLessThanOrEqual(after);
    expect({ level: row.level, attributes: row.attributes }).toEqual({ level: 'warn', attributes: { component: 'com.acme.Refund' } });
  });

  it('reads each text/plain format on a server that has not seen another one', async () => {
    for (const f of [syslog, epoch]) {
      const fresh = await startTestServer(engine);
      try {
        expect(await post(fresh, lines(f, 40).join('\n'))).toMatchObject({ accepted: 40, rejected: 0 });
        const rows = await stored(fresh, 'true');
        expect(rows.size).toBe(40);
        expectFilled(rows, f, 40);
      } finally {
        await fresh.cleanup();
      }
    }
  });

  it('gives text/plain lines the service and host of the request, and each named service a layout of its own', async () => {
    // The server's `unknown` service learned the Java layout above; a named text source learns its own.
    const body = lines(epoch, 40, 900).join('\n');
    const r = await s.app.inject({ method: 'POST', url: '/api/v1/logs?service=queue-text&host=q-1', headers: { 'content-type': 'text/plain' }, payload: body });
    expect(r.statusCode).toBe(200);
    const rows = await stored(s, "service = 'queue-text'");
    expect(rows.size).toBe(40);
    const row = rows.get(epoch.line(905))!;
    expect({ ms: row.ms, level: row.level, attributes: row.attributes }).toEqual({
      ms: epoch.expect(905).ts, level: epoch.expect(905).level, attributes: { host: 'q-1', ...epoch.expect(905).attributes },
    });
    const bad = await s.app.inject({ method: 'POST', url: '/api/v1/logs?service=', headers: { 'content-type': 'text/plain' }, payload: 'x' });
    expect(bad.statusCode).toBe(400);
  });

  it('fills only what JSON entries left out; their own time, level and host are kept', async () => {
    const own = new Date(BASE - 3_600_000).toISOString();
    const entries = Array.from({ length: 60 }, (_, i) => {
      const message = java.line(300 + i);
      if (i % 3 === 0) return { service: 'pay-json', message, timestamp: own, level: 'fatal' };
      if (i % 3 === 1) return { service: 'pay-json', message, ts: own, metadata: { component: 'mine' } };
      return { service: 'pay-json', message };
    });
    expect(await post(s, JSON.stringify(entries), 'application/json')).toMatchObject({ accepted: 60, rejected: 0 });
    const rows = await stored(s, "service = 'pay-json'");
    for (let i = 0; i < 60; i++) {
      const row = rows.get(java.line(300 + i))!;
      const header = java.expect(300 + i);
      const got = { ms: row.ms, level: row.level, attributes: row.attributes };
      // Both given: not a candidate at all. Time given: level from the header, its own component kept.
      if (i % 3 === 0) expect(got).toEqual({ ms: Date.parse(own), level: 'fatal', attributes: {} });
      else if (i % 3 === 1) expect(got).toEqual({ ms: Date.parse(own), level: header.level, attributes: { component: 'mine' } });
      else expect(got).toEqual({ ms: header.ts, level: header.level, attributes: header.attributes });
    }
  });

  it('fills raw lines that came by the Elasticsearch _bulk route the same way', async () => {
    const body = lines(epoch, 40, 700).flatMap((message) => [JSON.stringify({ create: {} }), JSON.stringify({ message })]).join('\n') + '\n';
    const r = await s.app.inject({ method: 'POST', url: '/es/queue-es/_bulk', headers: { 'content-type': 'application/x-ndjson' }, payload: body });
    expect(r.statusCode).toBe(200);
    expect(r.json<{ errors: boolean }>().errors).toBe(false);
    const rows = await stored(s, "service = 'queue-es'");
    expect(rows.size).toBe(40);
    expectFilled(rows, epoch, 40, 700);
  });

  it("keeps a syslog entry's own host name", async () => {
    const entries = lines(syslog, 40, 400).map((message, i) => ({ service: 'edge-host', message, ...(i === 0 ? { hostname: 'gw-1' } : {}) }));
    expect(await post(s, entries.map((e) => JSON.stringify(e)).join('\n'), 'application/x-ndjson')).toMatchObject({ accepted: 40 });
    const rows = await stored(s, "service = 'edge-host'");
    expect(rows.get(syslog.line(400))!.attributes).toEqual({ hostname: 'gw-1', component: 'nginx' });
    expectFilled(new Map([...rows].filter(([m]) => m !== syslog.line(400))), syslog, 39, 401);
  });

  it('fills nothing on the first small batches of a new service, and fills from the batch that completes the sample on', async () => {
    const send = (from: number, n: number) =>
      post(s, JSON.stringify(lines(syslog, n, from).map((message) => ({ service: 'edge-new', message }))), 'application/json');
    const before = Date.now();
    expect(await send(500, 10)).toMatchObject({ accepted: 10 });
    expect(await send(510, 10)).toMatchObject({ accepted: 10 });
    const after = Date.now();
    // 20 lines are too few to trust a layout (32): stored as they came, nothing guessed.
    expectUntouched(await stored(s, "service = 'edge-new'"), lines(syslog, 20, 500), before, after);
    // The third batch brings the sample to 35 lines: the layout is learned and this batch is filled.
    expect(await send(520, 15)).toMatchObject({ accepted: 15 });
    const rows = await stored(s, "service = 'edge-new'");
    expectFilled(rows, syslog, 15, 520);
    expectUntouched(rows, lines(syslog, 20, 500), before, after);
    expect(await send(535, 3)).toMatchObject({ accepted: 3 });
    expectFilled(await stored(s, "service = 'edge-new'"), syslog, 3, 535);
  });
});
