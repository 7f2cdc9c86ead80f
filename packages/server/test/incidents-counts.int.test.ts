import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utcText } from '../src/db/sql.js';
import { pruneAnalysis, templateFacts, templateMinuteCounts } from '../src/modules/analysis/index.js';
import { serviceMinuteCounts } from '../src/modules/query/index.js';
import { minuteInput } from '../src/modules/incidents/input.js';
import { DEFAULT_SIGNAL_OPTIONS } from '../src/modules/incidents/options.js';
import { ENGINES } from './helpers.js';
import { KINDS, startPipelineServer, testStore, type PipelineServer } from './pipeline-helpers.js';

// Per-minute template counts: written by the assign pass with the hourly ones (a line moved to
// another template moves in both), read back by minute window, and pruned after 2 days while the
// hourly counts keep the older history.

const MINUTE = 60_000;
const HOUR = 3_600_000;
const NOW = Date.now();
const EPOCH = `'1970-01-01T00:00:00Z'::timestamptz`;

/** Lines of 6 kinds from 3 services over the last 40 minutes, and a few 3 days ago. */
function logs(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < 120; i++) {
    const ago = i < 12 ? 72 * HOUR + i * 1000 : (i % 40) * MINUTE + (i % 7) * 1000;
    out.push({
      timestamp: new Date(NOW - ago).toISOString(),
      level: i % 5 === 0 ? 'error' : 'info',
      service: `svc-${i % 3}`,
      message: KINDS[i % 6]!.replaceAll('{}', String(1000 + i)),
    });
  }
  // A parameter-dependent template's lines go back to the assign pass for per-message keys.
  for (const m of ['request /a failed status=500', 'request /b failed status=404', 'request /c failed status=503']) {
    out.push({ timestamp: new Date(NOW - 5 * MINUTE).toISOString(), level: 'error', service: 'edge', message: m });
  }
  return out;
}

describe.each(ENGINES)('template minute counts on %s', (engine) => {
  let s: PipelineServer;
  const rows = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => (await s.running.db.query<T>(sql, params)).rows;
  const TOTAL = 123;
  const MINUTES = `SELECT ${utcText('minute')} AS minute, template_id, service, count::text AS count FROM template_counts_minute WHERE count <> 0 ORDER BY 1, 2, 3`;
  const RAW = `SELECT ${utcText(`date_bin('1 minute'::interval, ts, ${EPOCH})`)} AS minute, template_id, service, count(*)::text AS count
                 FROM analysis_results GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;

  beforeAll(async () => {
    s = await startPipelineServer(await testStore(engine), { INCIDENTS_ENABLED: 'false' });
    await s.ingest(logs());
    expect(await s.until(async () => (await s.count('analysis_results')) === TOTAL && (await s.count('analysis_pending')) === 0, 30_000)).toBe(true);
  });
  afterAll(() => s.cleanup());

  it('count every assigned line once per minute, template and service, agreeing with the hourly counts', async () => {
    const minutes = await rows<{ count: string }>(MINUTES);
    expect(minutes.length).toBeGreaterThan(30);
    expect(minutes).toEqual(await rows(RAW));
    const [sum] = await rows<{ m: string; h: string }>(
      `SELECT (SELECT sum(count) FROM template_counts_minute)::text AS m, (SELECT sum(count) FROM template_counts_hour)::text AS h`);
    expect(sum).toEqual({ m: String(TOTAL), h: String(TOTAL) });
  });

  it('read back a window of minutes, and each service\'s lines and errors per minute', async () => {
    const from = NOW - 10 * MINUTE - ((NOW - 10 * MINUTE) % MINUTE);
    const got = await templateMinuteCounts(s.running.db, from, NOW + MINUTE);
    const [raw] = await rows<{ n: string }>(`SELECT count(*)::text AS n FROM analysis_results WHERE ts >= $1::timestamptz`,
      [new Date(from).toISOString()]);
    expect(got.reduce((n, r) => n + r.count, 0)).toBe(Number(raw!.n));
    expect(got.every((r) => r.minuteMs % MINUTE === 0)).toBe(true);
    const services = await serviceMinuteCounts(s.running.db, NOW - 80 * HOUR, NOW + MINUTE);
    expect(services.reduce((n, r) => n + r.total, 0)).toBe(TOTAL);
    expect(services.reduce((n, r) => n + r.errors, 0)).toBe(logs().filter((l) => l.level === 'error').length);
  });

  it('make the detector\'s input: zero-filled minutes ending with the judged one, each service\'s lines and errors, previous hours', async () => {
    const minute = NOW - (NOW % MINUTE) - 2 * MINUTE;
    const o = DEFAULT_SIGNAL_OPTIONS;
    const input = await minuteInput(s.running.db, minute, o);
    const from = minute - o.recentMinutes * MINUTE;
    const [raw] = await rows<{ n: string; e: string }>(
      `SELECT count(*)::text AS n, (count(*) FILTER (WHERE level = 'error'))::text AS e FROM analysis_results WHERE ts >= $1::timestamptz AND ts < $2::timestamptz`,
      [new Date(from).toISOString(), new Date(minute + MINUTE).toISOString()]);
    expect(input.templates.length).toBeGreaterThan(5);
    for (const t of input.templates) {
      expect(t.minutes).toHaveLength(o.recentMinutes + 1);
      expect(t.template).not.toBe('');
      expect(t.firstSeenMs).toBeLessThanOrEqual(minute);
      // The old lines' services started 3 days ago: all 48 previous hours are known; edge started 5 minutes ago
      // (in the previous clock hour or in this one).
      const edgeHours = NOW - 5 * MINUTE < minute - (minute % HOUR) ? 1 : 0;
      expect(t.prevHours).toHaveLength(t.service === 'edge' ? edgeHours : 48);
    }
    expect(input.templates.reduce((n, t) => n + t.minutes.reduce((a, b) => a + b, 0), 0)).toBe(Number(raw!.n));
    expect(input.services.reduce((n, x) => n + x.total.reduce((a, b) => a + b, 0), 0)).toBe(Number(raw!.n));
    expect(input.services.reduce((n, x) => n + x.errors.reduce((a, b) => a + b, 0), 0)).toBe(Number(raw!.e));
    expect(input.services.every((x) => x.total.length === o.recentMinutes + 1)).toBe(true);
  });

  it('are pruned after 2 days; the hourly counts keep the history and the first line of a template', async () => {
    const [old] = await rows<{ template_id: string; service: string }>(
      `SELECT template_id, service FROM template_counts_minute WHERE minute < now() - interval '2 days' ORDER BY 1, 2 LIMIT 1`);
    expect(old).toBeDefined();
    const before = await templateFacts(s.running.db, [{ templateId: old!.template_id, service: old!.service }]);
    await pruneAnalysis(s.running.db, 7);
    expect(await s.count('template_counts_minute', `minute < now() - interval '2 days'`)).toBe(0);
    expect(await s.count('template_counts_minute')).toBeGreaterThan(30);
    expect(await s.count('template_counts_hour', `hour < now() - interval '2 days'`)).toBeGreaterThan(0);
    // The first line is then known to the hour, from the hourly counts.
    const after = await templateFacts(s.running.db, [{ templateId: old!.template_id, service: old!.service }]);
    expect(before[0]!.firstSeenMs! % MINUTE).toBe(0);
    expect(after[0]!.firstSeenMs).toBe(before[0]!.firstSeenMs! - (before[0]!.firstSeenMs! % HOUR));
    expect(after[0]!.level).toMatch(/^(error|info)$/);
    expect(after[0]!.template).not.toBe('');
  });
});
