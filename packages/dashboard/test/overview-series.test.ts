import { describe, expect, it } from 'vitest';
import type { LogStats } from '../src/api/stats';
import type { AnalysisStatus, AnalysisSummary } from '../src/api/analysis';
import {
  bucketTimes, categoryDistribution, headline, levelSeries, rangeWindow, severityDistribution, trendSeries,
} from '../src/components/overview/series';

const T0 = Date.parse('2026-12-01T10:00:00Z');
const iso = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString();

function buildStats(over: Partial<LogStats> = {}): LogStats {
  return { from: iso(0), to: iso(5), bucket_seconds: 60, by_level: [], by_service: [], ...over };
}

function buildSummary(over: Partial<AnalysisSummary> = {}): AnalysisSummary {
  return { from: iso(0), to: iso(3), bucket_seconds: 60, total: 0, anomalies: 0, by_severity: [], by_category: [], trend: [], ...over };
}

describe('rangeWindow', () => {
  it('ends at the end of the current bucket and spans the range exactly', () => {
    const w = rangeWindow('1h', T0 + 90_500);
    expect(w).toEqual({ from: iso(-58), to: iso(2), bucket: 60 });
  });

  it('uses coarser buckets for longer ranges, staying under the server’s 1000-bucket limit', () => {
    for (const key of ['1h', '6h', '24h', '7d'] as const) {
      const w = rangeWindow(key, T0);
      const n = (Date.parse(w.to) - Date.parse(w.from)) / (w.bucket * 1000);
      expect(n).toBeLessThanOrEqual(200);
      expect(w.bucket % 60).toBe(0);
    }
  });
});

describe('bucketTimes', () => {
  it('lists epoch-aligned bucket starts in [from, to)', () => {
    expect(bucketTimes('2026-12-01T10:00:30Z', iso(3), 60)).toEqual([T0, T0 + 60_000, T0 + 120_000]);
  });
});

describe('levelSeries', () => {
  it('zero-fills the minutes the server left out, one series per level, most severe first', () => {
    const s = levelSeries(buildStats({
      by_level: [
        { time: '2026-12-01T10:00:00.000000Z', key: 'info', count: 7 },
        { time: '2026-12-01T10:03:00.000000Z', key: 'info', count: 2 },
        { time: '2026-12-01T10:03:00.000000Z', key: 'error', count: 1 },
      ],
    }));
    expect(s.times).toHaveLength(5);
    expect(s.series.map((x) => x.level)).toEqual(['error', 'info']);
    expect(s.series[0]?.counts).toEqual([0, 0, 0, 1, 0]);
    expect(s.series[1]?.counts).toEqual([7, 0, 0, 2, 0]);
  });

  it('keeps a level it does not know, after the known ones', () => {
    const s = levelSeries(buildStats({ by_level: [{ time: iso(1), key: 'notice', count: 1 }, { time: iso(1), key: 'warn', count: 1 }] }));
    expect(s.series.map((x) => x.level)).toEqual(['warn', 'notice']);
  });

  it('has no series when there are no logs, so the card shows its empty state', () => {
    expect(levelSeries(buildStats()).series).toEqual([]);
  });
});

describe('trendSeries', () => {
  it('zero-fills both the analysed and the anomaly lines', () => {
    const s = trendSeries(buildSummary({ trend: [{ time: iso(1), total: 4, anomalies: 1 }] }));
    expect(s.total).toEqual([0, 4, 0]);
    expect(s.anomalies).toEqual([0, 1, 0]);
  });

  it('is all zeros without any analysis', () => {
    expect(trendSeries(buildSummary()).anomalies).toEqual([0, 0, 0]);
  });
});

describe('distributions', () => {
  const summary = buildSummary({
    by_severity: [{ key: 'info', count: 6 }, { key: 'critical', count: 2 }, { key: 'low', count: 0 }, { key: 'high', count: 2 }],
    by_category: [{ key: 'network', count: 1 }, { key: 'database', count: 5 }, { key: 'security', count: 4 }],
  });

  it('orders severities critical first, drops empty ones and gives shares', () => {
    expect(severityDistribution(summary)).toEqual([
      { key: 'critical', count: 2, share: 0.2 },
      { key: 'high', count: 2, share: 0.2 },
      { key: 'info', count: 6, share: 0.6 },
    ]);
  });

  it('orders categories by count', () => {
    expect(categoryDistribution(summary).map((c) => c.key)).toEqual(['database', 'security', 'network']);
  });
});

describe('headline', () => {
  const status = {
    usage_today: { calls: 3, prompt_tokens: 1000, completion_tokens: 200, reasoning_tokens: 50 },
  } as AnalysisStatus;

  it('counts logs and errors (error and fatal), the analysed share and today’s tokens', () => {
    const h = headline(
      buildStats({ by_level: [{ time: iso(0), key: 'info', count: 90 }, { time: iso(0), key: 'error', count: 8 }, { time: iso(1), key: 'fatal', count: 2 }] }),
      buildSummary({ total: 25, anomalies: 5 }),
      status,
    );
    expect(h).toMatchObject({ logs: 100, errors: 10, anomalies: 5, analysed: 25, analysedShare: 0.25, calls: 3, tokens: 1200 });
  });

  it('leaves the numbers of a source that failed undefined', () => {
    const h = headline(buildStats({ by_level: [{ time: iso(0), key: 'info', count: 1 }] }), undefined, undefined);
    expect(h.logs).toBe(1);
    expect(h.anomalies).toBeUndefined();
    expect(h.analysedShare).toBeUndefined();
    expect(h.tokens).toBeUndefined();
  });
});
