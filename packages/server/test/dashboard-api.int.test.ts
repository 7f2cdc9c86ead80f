import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utcText } from '../src/db/sql.js';
import { dropExpiredPartitions } from '../src/modules/retention/index.js';
import { ENGINES, buildLog, startTestServer, type TestServer } from './helpers.js';

// Per-minute log counts kept at ingest, /api/v1/stats served from them, and their retention.

const DAY = 86_400_000;
// Yesterday 00:00 UTC: inside the retention window whatever day the suite runs.
const BASE = Math.floor(Date.now() / DAY) * DAY - DAY;
/** An ISO time `s` seconds (fractions kept to the microsecond) after BASE. */
const at = (s: number): string => {
  const whole = Math.floor(s);
  const micros = Math.round((s - whole) * 1e6);
  return new Date(BASE + whole * 1000).toISOString().replace('.000Z', `.${String(micros).padStart(6, '0')}Z`);
};

const SERVICES = ['web', 'api', 'db'];
const LEVELS = ['info', 'warn', 'error', 'debug', 'info', 'fatal'];

/** 400 logs over about 3 hours: several services, levels and minutes, sub-second times, some with event ids. */
function batch(offset: number): Record<string, unknown>[] {
  return Array.from({ length: 400 }, (_, i) => {
    const n = offset + i;
    return buildLog({
      timestamp: at(n * 27.123457),
      service: SERVICES[n % 3],
      level: LEVELS[(n * 7) % LEVELS.length],
      message: `request ${n} served`,
      ...(n % 4 === 0 ? { id: `evt-${n}` } : {}),
    });
  });
}

type Row = { minute: string; service: string; level: string; count: string };
const ROLLUP = `SELECT ${utcText('minute')} AS minute, service, level, count::text AS count FROM log_counts_minute ORDER BY 1, 2, 3`;
const RAW = `SELECT ${utcText(`date_bin('1 minute'::interval, ts, '1970-01-01T00:00:00Z'::timestamptz)`)} AS minute, service, level, count(*)::text AS count
               FROM logs GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;

describe.each(ENGINES)('per-minute log counts on %s', (engine) => {
  let s: TestServer;
  const get = (url: string) => s.app.inject({ method: 'GET', url });
  const post = (payload: Record<string, unknown>[]) => s.app.inject({ method: 'POST', url: '/api/v1/logs', payload });
  const rows = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => (await s.db.query<T>(sql, params)).rows;

  beforeAll(async () => {
    s = await startTestServer(engine);
    // Concurrent requests share group commits; the second round resends every event id (duplicates).
    const first = await Promise.all([post(batch(0)), post(batch(400)), post(batch(200))]);
    // batch(200) shares 100 event ids with the other two: each is stored once, whichever came first.
    expect(first.reduce((n, r) => n + (r.json().duplicates as number), 0)).toBe(100);
    const again = await post(batch(0));
    expect(again.json()).toMatchObject({ accepted: 400, duplicates: 100 });
    // Within one batch too: the second copy of an event id is a duplicate.
    const twice = [buildLog({ timestamp: at(5000.5), id: 'twice', service: 'web' }), buildLog({ timestamp: at(5000.5), id: 'twice', service: 'web' })];
    expect((await post(twice)).json()).toMatchObject({ accepted: 2, duplicates: 1 });
  });
  afterAll(() => s.cleanup());

  it('count exactly the logs stored, duplicates left out', async () => {
    const rollup = await rows<Row>(ROLLUP);
    expect(rollup.length).toBeGreaterThan(100);
    expect(rollup).toEqual(await rows<Row>(RAW));
    const [sum] = await rows<{ n: string }>('SELECT sum(count)::text AS n FROM log_counts_minute');
    const [logs] = await rows<{ n: string }>('SELECT count(*)::text AS n FROM logs');
    expect(sum?.n).toBe(logs?.n);
  });

  const rawStats = async (column: 'level' | 'service', from: string, to: string, bucket: number) =>
    (await rows<{ time: string; key: string; count: string }>(
      `SELECT ${utcText("date_bin(make_interval(secs => $3), ts, '1970-01-01T00:00:00Z'::timestamptz)")} AS time, ${column} AS key, count(*)::text AS count
         FROM logs WHERE ts >= $1::timestamptz AND ts < $2::timestamptz GROUP BY 1, 2 ORDER BY 1, 2`,
      [from, to, bucket],
    )).map((r) => ({ ...r, count: Number(r.count) }));

  it('serve stats that equal counting the logs, for ranges cut inside a minute too', async () => {
    const ranges: [number, number, number | undefined][] = [
      [0, 3 * 3600, 60],
      [17.3, 2 * 3600 + 13 * 60 + 7.5, 60],
      [17.3, 2 * 3600 + 13 * 60 + 7.5, 300],
      [59.999999, 3 * 3600 + 0.000001, 3600],
      [-3600, 4 * 3600, undefined], // default bucket: whole minutes from a one-hour range up
      [120.5, 170.25, 60], // inside one minute
      [600.5, 660.25, 60], // two partial minutes, no whole one
      [33, 3 * 3600, 45], // not whole minutes: counted from the logs
    ];
    for (const [f, t, bucket] of ranges) {
      const from = at(f), to = at(t);
      const body = (await get(`/api/v1/stats?from=${from}&to=${to}${bucket ? `&bucket=${bucket}` : ''}`)).json();
      if (bucket === undefined) expect(body.bucket_seconds % 60).toBe(0);
      const b = body.bucket_seconds as number;
      expect(body.by_level, `${from} ${to} ${b}`).toEqual(await rawStats('level', from, to, b));
      expect(body.by_service, `${from} ${to} ${b}`).toEqual(await rawStats('service', from, to, b));
    }
  });

  it('read whole-minute buckets from the counts, not from the logs', async () => {
    // A counter changed by hand shows in the answer: proof the rollup path serves it.
    const [row] = await rows<{ minute: string; service: string; level: string }>(
      `SELECT ${utcText('minute')} AS minute, service, level FROM log_counts_minute WHERE minute >= $1::timestamptz ORDER BY minute LIMIT 1`, [at(600)]);
    await s.db.query('UPDATE log_counts_minute SET count = count + 1000 WHERE minute = $1::timestamptz AND service = $2 AND level = $3', [row!.minute, row!.service, row!.level]);
    try {
      const body = (await get(`/api/v1/stats?from=${at(0)}&to=${at(3 * 3600)}&bucket=3600`)).json();
      const total = body.by_level.reduce((n: number, x: { count: number }) => n + x.count, 0);
      const [logs] = await rows<{ n: string }>('SELECT count(*)::text AS n FROM logs WHERE ts >= $1::timestamptz AND ts < $2::timestamptz', [at(0), at(3 * 3600)]);
      expect(total).toBe(Number(logs?.n) + 1000);
    } finally {
      await s.db.query('UPDATE log_counts_minute SET count = count - 1000 WHERE minute = $1::timestamptz AND service = $2 AND level = $3', [row!.minute, row!.service, row!.level]);
    }
  });

  it('are deleted with the partitions past the retention window, and still add up to the logs left', async () => {
    const old = BASE - 4 * DAY + 3_600_000;
    const res = await post([buildLog({ timestamp: new Date(old).toISOString(), service: 'old' }), buildLog({ timestamp: new Date(old + 61_000).toISOString(), service: 'old' })]);
    expect(res.json().accepted).toBe(2);
    expect((await rows<Row>(`SELECT * FROM log_counts_minute WHERE service = 'old'`)).length).toBe(2);
    // Three days on, a 7-day window starts after the old logs' day and before yesterday.
    const dropped = await dropExpiredPartitions(s.db, Date.now() + 3 * DAY, 7);
    expect(dropped.length).toBeGreaterThan(0);
    expect(await rows<Row>(`SELECT * FROM log_counts_minute WHERE service = 'old'`)).toEqual([]);
    expect(await rows<Row>(ROLLUP)).toEqual(await rows<Row>(RAW));
    expect((await rows<Row>(ROLLUP)).length).toBeGreaterThan(100);
  });
});
