import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utcText } from '../src/db/sql.js';
import { pruneAnalysis } from '../src/modules/analysis/index.js';
import type { LogFilter } from '../src/modules/query/repo-logs.js';
import { apiPages, chunk, narrowedPages } from './dashboard-helpers.js';
import { ENGINES } from './helpers.js';
import { KINDS, startPipelineServer, testStore, type PipelineServer } from './pipeline-helpers.js';

// The dashboard's analysis reads: per-minute result counts kept where results are written, the
// summary served from them, hourly template counts kept by the assign pass (sparklines), one
// template, and anomaly/severity log searches narrowed by the counts.

const HOUR = 3_600_000;
const NOW = Date.now();
const EPOCH = `'1970-01-01T00:00:00Z'::timestamptz`;
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];

/** Lines of 8 kinds over the last 6 hours (and a few 30 hours ago) from 3 services, some errors, sub-second times. */
function logs(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < 160; i++) {
    const ago = i < 10 ? 30 * HOUR + i * 1000 : (i % 6) * HOUR + i * 7_321 + 0.25;
    out.push({
      timestamp: new Date(NOW - ago).toISOString(),
      level: i % 4 === 0 ? 'error' : i % 9 === 0 ? 'warn' : 'info',
      service: `svc-${i % 3}`,
      message: KINDS[i % 8]!.replaceAll('{}', String(1000 + i)),
    });
  }
  // Lines of a parameter-dependent template: sent back to the assign pass for per-message keys.
  for (const m of ['request /a failed status=500', 'request /b failed status=404', 'request /c failed status=503', 'request /c failed status=503']) {
    out.push({ timestamp: new Date(NOW - 2 * HOUR).toISOString(), level: 'error', service: 'edge', message: m });
  }
  return out;
}

describe.each(ENGINES)('dashboard analysis reads on %s', (engine) => {
  let s: PipelineServer;
  const get = (url: string) => s.running.app.inject({ method: 'GET', url });
  const rows = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => (await s.running.db.query<T>(sql, params)).rows;
  const TOTAL = 164;

  beforeAll(async () => {
    s = await startPipelineServer(await testStore(engine));
    await s.ingest(logs());
    const done = await s.until(async () => (await s.count('analysis_results')) === TOTAL && (await s.count('analysis_pending')) === 0, 30_000);
    expect(done).toBe(true);
  });
  afterAll(() => s.cleanup());

  const ROLLUP = `SELECT ${utcText('minute')} AS minute, service, severity, category, is_anomaly, count::text AS count
                    FROM analysis_counts_minute WHERE count <> 0 ORDER BY 1, 2, 3, 4, 5`;
  const RAW = `SELECT ${utcText(`date_bin('1 minute'::interval, ts, ${EPOCH})`)} AS minute, service, severity, category, is_anomaly, count(*)::text AS count
                 FROM analysis_results GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`;
  const HOURS = `SELECT ${utcText('hour')} AS hour, template_id, service, count::text AS count FROM template_counts_hour WHERE count <> 0 ORDER BY 1, 2, 3`;
  const RAW_HOURS = `SELECT ${utcText(`date_bin('1 hour'::interval, ts, ${EPOCH})`)} AS hour, template_id, service, count(*)::text AS count
                       FROM analysis_results GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;

  it('count every result once, a repeated write included', async () => {
    expect((await rows(ROLLUP)).length).toBeGreaterThan(20);
    expect(await rows(ROLLUP)).toEqual(await rows(RAW));
    // A crashed job's logs found pending again although their results exist: the repeat writes nothing, counts nothing.
    await s.running.db.query(
      `INSERT INTO analysis_pending (log_id, ts, template_id, verdict_key, enqueued_at)
       SELECT log_id, ts, template_id, verdict_key, now() - interval '1 minute' FROM analysis_results ORDER BY log_id LIMIT 5`,
    );
    await s.running.worker!.reconcile();
    expect(await s.count('analysis_pending')).toBe(0);
    expect(await s.count('analysis_results')).toBe(TOTAL);
    expect(await rows(ROLLUP)).toEqual(await rows(RAW));
  });

  it('count every log once per template and hour, lines sent back for per-message keys included', async () => {
    expect(await rows(HOURS)).toEqual(await rows(RAW_HOURS));
    const edge = await rows<{ n: string }>(`SELECT sum(count)::text AS n FROM template_counts_hour WHERE service = 'edge'`);
    expect(edge[0]?.n).toBe('4');
  });

  const rawSummary = async (from: string, to: string, bucket: number) => {
    const where = 'ts >= $1::timestamptz AND ts < $2::timestamptz';
    const [all] = await rows<{ total: string; anomalies: string }>(
      `SELECT count(*)::text AS total, count(*) FILTER (WHERE is_anomaly)::text AS anomalies FROM analysis_results WHERE ${where}`, [from, to]);
    const sev = new Map((await rows<{ key: string; n: string }>(`SELECT severity AS key, count(*)::text AS n FROM analysis_results WHERE ${where} GROUP BY 1`, [from, to]))
      .map((r) => [r.key, Number(r.n)]));
    const cat = (await rows<{ key: string; n: string }>(`SELECT category AS key, count(*)::text AS n FROM analysis_results WHERE ${where} GROUP BY 1`, [from, to]))
      .map((r) => ({ key: r.key, count: Number(r.n) })).sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1));
    const trendRows = new Map((await rows<{ t: string; total: string; anomalies: string }>(
      `SELECT ${utcText(`date_bin(make_interval(secs => $3), ts, ${EPOCH})`)} AS t, count(*)::text AS total, count(*) FILTER (WHERE is_anomaly)::text AS anomalies
         FROM analysis_results WHERE ${where} GROUP BY 1`, [from, to, bucket])).map((r) => [r.t, r]));
    const trend = [];
    const step = bucket * 1000;
    for (let t = Math.floor(Date.parse(from) / step) * step; t < Date.parse(to); t += step) {
      const time = new Date(t).toISOString().replace('Z', '000Z');
      const r = trendRows.get(time);
      trend.push({ time, total: Number(r?.total ?? 0), anomalies: Number(r?.anomalies ?? 0) });
    }
    return {
      total: Number(all!.total), anomalies: Number(all!.anomalies),
      by_severity: SEVERITIES.map((key) => ({ key, count: sev.get(key) ?? 0 })), by_category: cat, trend,
    };
  };

  it('summarise the results as counting them would, for ranges cut inside a minute too', async () => {
    const cases: [number, number, number][] = [
      [NOW - 7 * HOUR - 17_250, NOW + 1234.5, 600],
      [NOW - 3 * HOUR, NOW - HOUR, 60],
      [NOW - 40 * HOUR, NOW, 3600],
      [NOW - 2 * HOUR - 59_999, NOW - 2 * HOUR + 30_000, 60], // inside one or two minutes
    ];
    for (const [f, t, bucket] of cases) {
      const from = new Date(f).toISOString(), to = new Date(t).toISOString();
      const res = await get(`/api/v1/analysis/summary?from=${from}&to=${to}&bucket=${bucket}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ from, to, bucket_seconds: bucket, ...(await rawSummary(from, to, bucket)) });
    }
    const day = (await get('/api/v1/analysis/summary')).json();
    expect(day.total).toBe(TOTAL - 10); // the lines of 30 hours ago are out of the default 24 hours
    expect(day.bucket_seconds).toBe(1800);
    const step = 1800_000;
    expect(day.trend).toHaveLength(Math.ceil(Date.parse(day.to) / step) - Math.floor(Date.parse(day.from) / step));
    expect(day.anomalies).toBeGreaterThan(0);
    expect((await get('/api/v1/analysis/summary?bucket=90')).statusCode).toBe(400);
  });

  type Template = { id: string; count: number; verdict: { state: string } | null; sparkline?: { bucket_seconds: number; from: string; counts: number[] } };

  /** Lines per template and hour from the results (each log once, by its current template). */
  const rawSparkline = async (id: string, from: string, service?: string): Promise<number[]> => {
    const counts = new Array<number>(24).fill(0);
    const r = await rows<{ i: number; n: string }>(
      `SELECT (extract(epoch FROM date_bin('1 hour'::interval, ts, ${EPOCH}) - $2::timestamptz) / 3600)::int AS i, count(*)::text AS n
         FROM analysis_results WHERE template_id = $1 AND ts >= $2::timestamptz AND ($3::text IS NULL OR service = $3) GROUP BY 1`,
      [id, from, service ?? null],
    );
    for (const x of r) if (x.i < 24) counts[x.i] = Number(x.n);
    return counts;
  };

  it('give templates 24 hourly counts, oldest first, for all services or the ones asked for', async () => {
    const body = (await get('/api/v1/templates?sparkline=true&limit=500')).json<{ templates: Template[]; total: number }>();
    expect(body.templates.length).toBe(body.total);
    const from = body.templates[0]!.sparkline!.from;
    expect(Date.parse(from)).toBe(Math.floor(Date.now() / HOUR) * HOUR - 23 * HOUR);
    let sum = 0;
    for (const t of body.templates) {
      expect(t.sparkline).toMatchObject({ bucket_seconds: 3600, from });
      expect(t.sparkline!.counts, t.id).toEqual(await rawSparkline(t.id, from));
      sum += t.sparkline!.counts.reduce((a, b) => a + b, 0);
    }
    expect(sum).toBe(TOTAL - 10);
    expect((await get('/api/v1/templates?limit=5')).json<{ templates: Template[] }>().templates[0]!.sparkline).toBeUndefined();

    const one = (await get('/api/v1/templates?sparkline=true&limit=500&service=svc-1')).json<{ templates: Template[]; total: number }>();
    const ids = await rows<{ id: string }>(`SELECT DISTINCT template_id AS id FROM analysis_results WHERE service = 'svc-1' ORDER BY 1`);
    expect(one.templates.map((t) => t.id).sort()).toEqual(ids.map((r) => r.id));
    expect(one.total).toBe(ids.length);
    for (const t of one.templates) expect(t.sparkline!.counts).toEqual(await rawSparkline(t.id, from, 'svc-1'));
  });

  it('show one template with its verdict and sparkline, and 404 an unknown one', async () => {
    const list = (await get('/api/v1/templates?sparkline=true&limit=3')).json<{ templates: Template[] }>().templates;
    for (const t of list) {
      const res = await get(`/api/v1/templates/${encodeURIComponent(t.id)}`);
      expect(res.json()).toEqual(t);
      expect(t.verdict?.state).toBe('done');
    }
    expect((await get('/api/v1/templates/nope')).statusCode).toBe(404);
  });

  /** Ids in page order from the logs and their results alone. */
  const raw = async (where: string, order: 'asc' | 'desc'): Promise<string[]> =>
    (await rows<{ id: string }>(
      `SELECT l.id::text AS id FROM logs l JOIN analysis_results r ON r.log_id = l.id AND r.ts = l.ts WHERE ${where}
        ORDER BY l.ts ${order}, l.id ${order}`,
    )).map((r) => r.id);

  it('page anomaly and severity searches as reading the logs would, through every cursor', async () => {
    // Two days: the lines of 30 hours ago are in range too.
    const range = `from=${new Date(NOW - 48 * HOUR).toISOString()}&to=${new Date(NOW + HOUR).toISOString()}`;
    const cases: [string, string, Partial<LogFilter>][] = [
      ['anomaly=true', 'r.is_anomaly', { anomaly: true }],
      ['anomaly=false', 'NOT r.is_anomaly', { anomaly: false }],
      ['severity=critical,high', `r.severity IN ('critical', 'high')`, { severities: ['critical', 'high'] }],
      ['severity=high&service=svc-1', `r.severity = 'high' AND l.service = 'svc-1'`, { severities: ['high'], services: ['svc-1'] }],
      ['anomaly=true&level=warn', `r.is_anomaly AND l.level = 'warn'`, { anomaly: true, levels: ['warn'] }],
      ['anomaly=true&service=nobody', 'false', { anomaly: true, services: ['nobody'] }],
    ];
    for (const [query, where, filter] of cases) {
      for (const order of ['desc', 'asc'] as const) {
        const expected = await raw(where, order);
        for (const limit of [3, 10]) {
          const q = `${range}&${query}&order=${order}&limit=${limit}`;
          expect(await apiPages(get, q), q).toEqual(chunk(expected, limit));
          const f = { from: new Date(NOW - 48 * HOUR).toISOString(), to: new Date(NOW + HOUR).toISOString(), services: [], levels: [], severities: [], q: undefined, order, limit, ...filter };
          const exact = !f.levels?.length;
          expect(await narrowedPages(s.running.db, f, { firstOnly: exact }), `${q} (windows read directly)`).toEqual(chunk(expected, limit));
        }
      }
    }
  }, 120_000);

  it('give LLM usage per UTC day, every day of the range, zeros included', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const dayAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
    const [used] = await rows<{ calls: string; models: string }>(
      `SELECT sum(calls)::text AS calls, string_agg(DISTINCT model, ',') AS models FROM llm_usage_daily WHERE day = $1::date`, [today]);
    expect(Number(used!.calls)).toBeGreaterThan(0);
    await rows(`INSERT INTO llm_usage_daily (day, model, calls, prompt_tokens, completion_tokens, reasoning_tokens)
                VALUES ($1::date, 'm-a', 3, 300, 30, 7), ($1::date, 'm-b', 2, 200, 20, 0), ($2::date, 'm-a', 99, 1, 1, 1)`, [dayAgo(2), dayAgo(5)]);
    const r = await get('/api/v1/analysis/usage?days=3');
    expect(r.statusCode).toBe(200);
    const { days } = r.json<{ days: { day: string; calls: number; prompt_tokens: number; completion_tokens: number; reasoning_tokens: number; models: string[] }[] }>();
    expect(days.map((d) => d.day)).toEqual([dayAgo(2), dayAgo(1), today]);
    expect(days[0]).toMatchObject({ day: dayAgo(2), calls: 5, prompt_tokens: 500, completion_tokens: 50, reasoning_tokens: 7, models: ['m-a', 'm-b'] });
    expect(days[1]).toMatchObject({ day: dayAgo(1), calls: 0, prompt_tokens: 0, completion_tokens: 0, reasoning_tokens: 0, models: [] });
    expect(days[2]!.calls).toBe(Number(used!.calls));
    expect(days[2]!.models).toEqual(used!.models.split(','));
    expect((await get('/api/v1/analysis/usage?days=0')).statusCode).toBe(400);
    expect((await get('/api/v1/analysis/usage')).json<{ days: unknown[] }>().days).toHaveLength(14);
  });

  it('are pruned with the results past the retention window, and still add up to what is left', async () => {
    await pruneAnalysis(s.running.db, 1);
    expect(await s.count('analysis_results')).toBe(TOTAL - 10);
    expect(await rows(ROLLUP)).toEqual(await rows(RAW));
    expect(await rows(HOURS)).toEqual(await rows(RAW_HOURS));
    const old = await rows(`SELECT 1 FROM analysis_counts_minute WHERE minute < now() - interval '1 day'`);
    expect(old).toEqual([]);
  });
});
