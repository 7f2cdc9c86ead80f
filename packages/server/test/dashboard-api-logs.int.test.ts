import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utcText } from '../src/db/sql.js';
import { searchWindows } from '../src/modules/query/narrow.js';
import type { LogFilter } from '../src/modules/query/repo-logs.js';
import { apiPages, chunk, narrowedPages } from './dashboard-helpers.js';
import { ENGINES, buildLog, startTestServer, type TestServer } from './helpers.js';

// GET /api/v1/logs with service and level filters, narrowed by the per-minute counts: the same pages
// as reading the logs alone, in both orders, through every cursor.

const DAY = 86_400_000;
const BASE = Math.floor(Date.now() / DAY) * DAY - DAY; // yesterday 00:00 UTC
const at = (s: number): string => {
  const whole = Math.floor(s);
  const micros = Math.round((s - whole) * 1e6);
  return new Date(BASE + whole * 1000).toISOString().replace('.000Z', `.${String(micros).padStart(6, '0')}Z`);
};
const FROM = at(0);
const TO = at(3 * 3600);

/**
 * 900 logs over three hours: web and api dense, db sparse with errors in a few minutes only; some
 * share a timestamp (the cursor's id tiebreak), some sit exactly on a minute boundary.
 */
function dataset(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < 900; i++) {
    const t = i % 50 === 0 ? Math.floor(i * 11.9 / 60) * 60 : i * 11.9 + (i % 3) * 0.000123;
    const service = i % 10 === 0 ? 'db' : i % 2 === 0 ? 'web' : 'api';
    const level = service === 'db' ? (i % 70 === 0 ? 'error' : 'warn') : ['info', 'debug', 'info', 'warn'][i % 4]!;
    out.push(buildLog({ timestamp: at(t), service, level, message: `line ${i}` }));
    if (i % 97 === 0) out.push(buildLog({ timestamp: at(t), service, level, message: `line ${i} twin` }));
  }
  return out;
}

describe.each(ENGINES)('filtered log pages on %s', (engine) => {
  let s: TestServer;
  const get = (url: string) => s.app.inject({ method: 'GET', url });

  beforeAll(async () => {
    s = await startTestServer(engine);
    const res = await s.app.inject({ method: 'POST', url: '/api/v1/logs', payload: dataset() });
    expect(res.json().accepted).toBe(910);
  });
  afterAll(() => s.cleanup());

  /** The ids in page order, read from the logs alone (what the answer must be). */
  const raw = async (from: string, to: string, services: string[], levels: string[], order: 'asc' | 'desc', q?: string): Promise<string[]> => {
    const dir = order === 'desc' ? 'DESC' : 'ASC';
    const r = await s.db.query<{ id: string }>(
      `SELECT id::text AS id FROM logs WHERE ts >= $1::timestamptz AND ts < $2::timestamptz
          AND (cardinality($3::text[]) = 0 OR service = ANY($3::text[])) AND (cardinality($4::text[]) = 0 OR level = ANY($4::text[]))
          AND ($5::text IS NULL OR to_tsvector('simple', message) @@ websearch_to_tsquery('simple', $5))
        ORDER BY ts ${dir}, id ${dir}`,
      [from, to, services, levels, q ?? null],
    );
    return r.rows.map((x) => x.id);
  };

  const pages = (query: string) => apiPages(get, query);

  it('gives the pages of an unnarrowed read, newest and oldest first, through every cursor', async () => {
    const cases: [string, string, string[], string[], string?][] = [
      [FROM, TO, ['db'], []],
      [FROM, TO, ['db'], ['error']],
      [FROM, TO, [], ['warn']],
      [FROM, TO, ['web', 'api'], ['info', 'warn']],
      [at(17.3), at(2 * 3600 + 13 * 60 + 7.5), ['db'], ['warn']],
      [at(59.5), at(61.5), ['web', 'api', 'db'], []],
      // Text: the counts are an upper bound, read in growing windows.
      [FROM, TO, ['db'], [], 'twin'],
      [FROM, TO, [], [], 'twin'],
      [FROM, TO, ['web'], ['info'], 'line'],
    ];
    for (const [from, to, services, levels, q] of cases) {
      for (const order of ['desc', 'asc'] as const) {
        const expected = await raw(from, to, services, levels, order, q);
        expect(expected.length, `${services.join()} ${levels.join()}`).toBeGreaterThan(0);
        for (const limit of [1, 7, 50]) {
          if (expected.length / limit > 60) continue;
          const filters = `${services.length ? `&service=${services.join(',')}` : ''}${levels.length ? `&level=${levels.join(',')}` : ''}${q ? `&q=${q}` : ''}`;
          const query = `from=${from}&to=${to}${filters}&order=${order}&limit=${limit}`;
          expect(await pages(query), query).toEqual(chunk(expected, limit));
          const direct = await narrowedPages(s.db, { from, to, services, levels, q, order, limit }, { firstOnly: !q });
          expect(direct, `${query} (windows read directly)`).toEqual(chunk(expected, limit));
        }
      }
    }
  }, 120_000);

  it('answers an empty page at once when no minute holds a matching log', async () => {
    const res = await get(`/api/v1/logs?from=${FROM}&to=${TO}&service=db&level=fatal`);
    expect(res.json()).toEqual({ logs: [], next_cursor: null });
    const filter = (over: Partial<LogFilter>): LogFilter => ({
      from: FROM, to: TO, services: [], levels: [], q: undefined, after: undefined, order: 'desc', limit: 10, ...over,
    });
    expect(await searchWindows(s.db, filter({ services: ['db'], levels: ['fatal'] }))).toEqual([]);
    expect(await searchWindows(s.db, filter({ services: ['nobody'] }))).toEqual([]);
    // A text filter only narrows further: no matching minute still means no page.
    expect(await searchWindows(s.db, filter({ services: ['db'], levels: ['fatal'], q: 'line' }))).toEqual([]);
  });

  it('reads first from the minute where the page fills up, then the rest of the range', async () => {
    // Expected edge: walking whole minutes from `to` down, the first where db's count reaches the limit.
    const perMinute = await s.db.query<{ minute: string; n: string }>(
      `SELECT ${utcText(`date_bin('1 minute'::interval, ts, '1970-01-01T00:00:00Z'::timestamptz)`)} AS minute, count(*)::text AS n
         FROM logs WHERE service = 'db' AND ts >= $1::timestamptz AND ts < $2::timestamptz GROUP BY 1 ORDER BY 1 DESC`,
      [FROM, TO],
    );
    let cum = 0;
    const edge = Date.parse(perMinute.rows.find((r) => (cum += Number(r.n)) >= 10)!.minute);
    const base: LogFilter = { from: FROM, to: TO, services: ['db'], levels: [], q: undefined, after: undefined, order: 'desc', limit: 10 };
    const desc = await searchWindows(s.db, base);
    expect(desc.map((w) => [Date.parse(w.from), Date.parse(w.to)])).toEqual([[edge, Date.parse(TO)], [Date.parse(FROM), edge]]);
    // Oldest first, the first window ends after the minute where the page fills up.
    cum = 0;
    const first = Date.parse([...perMinute.rows].reverse().find((r) => (cum += Number(r.n)) >= 10)!.minute) + 60_000;
    const asc = await searchWindows(s.db, { ...base, order: 'asc' });
    expect(asc.map((w) => [Date.parse(w.from), Date.parse(w.to)])).toEqual([[Date.parse(FROM), first], [first, Date.parse(TO)]]);
    // With a text filter the counts are an upper bound: windows for 1, 8, 64... times the limit.
    const text = await searchWindows(s.db, { ...base, q: 'line' });
    expect(text.length).toBeGreaterThan(2);
    expect(text[0]).toMatchObject({ from: desc[0]!.from, to: TO });
    expect(text.at(-1)!.from).toBe(FROM);
  });

  it('still fills the page when the counts run ahead of the logs', async () => {
    // Logs deleted behind the counters' back (by hand): the first window comes up short, the next ones fill the page.
    const expected = await raw(FROM, TO, ['db'], [], 'desc');
    await s.db.query(`DELETE FROM logs WHERE id = ANY($1::bigint[])`, [expected.slice(0, 5)]);
    expect(await pages(`from=${FROM}&to=${TO}&service=db&limit=10`)).toEqual(chunk(expected.slice(5), 10));
  });
});
