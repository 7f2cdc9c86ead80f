// Shapes the API's sparse answers into what the overview draws. The server returns only buckets
// that have rows; a chart built from them directly would draw a quiet hour as if it never existed
// (bars squeezed together, lines bridging the gap), so every series is zero-filled here.
import type { LogStats } from '../../api/stats';
import type { AnalysisStatus, AnalysisSummary } from '../../api/analysis';
import { LEVELS, SEVERITIES } from '../../lib/format';

export const RANGES = {
  '1h': { ms: 3_600_000, bucket: 60 },
  '6h': { ms: 6 * 3_600_000, bucket: 300 },
  '24h': { ms: 24 * 3_600_000, bucket: 900 },
  '7d': { ms: 7 * 24 * 3_600_000, bucket: 3600 },
} as const;
export type RangeKey = keyof typeof RANGES;
export const RANGE_KEYS = Object.keys(RANGES) as RangeKey[];
export const isRangeKey = (v: unknown): v is RangeKey => typeof v === 'string' && v in RANGES;

export interface RangeWindow {
  from: string;
  to: string;
  bucket: number;
}

/**
 * The window for a range ending at the end of the bucket `now` falls in: buckets then line up with
 * the server's epoch-aligned bins, so the first bar is a whole bucket and the last is the live one.
 */
export function rangeWindow(key: RangeKey, now: number): RangeWindow {
  const { ms, bucket } = RANGES[key];
  const step = bucket * 1000;
  const to = Math.ceil((now + 1) / step) * step;
  return { from: new Date(to - ms).toISOString(), to: new Date(to).toISOString(), bucket };
}

/** Start times (epoch ms) of every bucket in [from, to), aligned to the epoch like the server's date_bin. */
export function bucketTimes(from: string, to: string, bucketSeconds: number): number[] {
  const step = bucketSeconds * 1000;
  const end = Date.parse(to);
  const out: number[] = [];
  for (let t = Math.floor(Date.parse(from) / step) * step; t < end && out.length < 5000; t += step) out.push(t);
  return out;
}

/** Values per bucket for each key, zero where the server had no row. */
function fill(times: number[], rows: { time: string; key: string; count: number }[]): Map<string, number[]> {
  const index = new Map(times.map((t, i) => [t, i]));
  const out = new Map<string, number[]>();
  for (const r of rows) {
    const i = index.get(Date.parse(r.time));
    if (i === undefined) continue;
    let counts = out.get(r.key);
    if (!counts) out.set(r.key, (counts = times.map(() => 0)));
    counts[i] = (counts[i] ?? 0) + r.count;
  }
  return out;
}

export interface LevelSeries {
  times: number[];
  bucketSeconds: number;
  series: { level: string; counts: number[] }[];
}

/** Stats by level → one zero-filled series per level present, most severe first (the bottom of the stack). */
export function levelSeries(stats: LogStats): LevelSeries {
  const times = bucketTimes(stats.from, stats.to, stats.bucket_seconds);
  const byLevel = fill(times, stats.by_level);
  const rank = (l: string): number => {
    const i = (LEVELS as readonly string[]).indexOf(l);
    return i < 0 ? LEVELS.length : i;
  };
  const levels = [...byLevel.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return { times, bucketSeconds: stats.bucket_seconds, series: levels.map((level) => ({ level, counts: byLevel.get(level) ?? [] })) };
}

export interface TrendSeries {
  times: number[];
  bucketSeconds: number;
  total: number[];
  anomalies: number[];
}

/** The summary's anomaly trend, zero-filled over its range. */
export function trendSeries(s: AnalysisSummary): TrendSeries {
  const times = bucketTimes(s.from, s.to, s.bucket_seconds);
  const filled = fill(times, s.trend.flatMap((p) => [
    { time: p.time, key: 'total', count: p.total },
    { time: p.time, key: 'anomalies', count: p.anomalies },
  ]));
  const zeros = times.map(() => 0);
  return { times, bucketSeconds: s.bucket_seconds, total: filled.get('total') ?? zeros, anomalies: filled.get('anomalies') ?? zeros };
}

export interface Share {
  key: string;
  count: number;
  /** 0..1 of the distribution's total. */
  share: number;
}

/** Severities in their fixed order (critical first), unknown ones after; zero counts dropped. */
export function severityDistribution(s: AnalysisSummary): Share[] {
  const rank = (k: string): number => {
    const i = (SEVERITIES as readonly string[]).indexOf(k);
    return i < 0 ? SEVERITIES.length : i;
  };
  return shares(s.by_severity).sort((a, b) => rank(a.key) - rank(b.key) || a.key.localeCompare(b.key));
}

/** Categories, largest first. */
export function categoryDistribution(s: AnalysisSummary): Share[] {
  return shares(s.by_category).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

function shares(items: { key: string; count: number }[]): Share[] {
  const kept = items.filter((i) => i.count > 0);
  const total = kept.reduce((a, i) => a + i.count, 0);
  return kept.map((i) => ({ key: i.key, count: i.count, share: total > 0 ? i.count / total : 0 }));
}

export interface Headline {
  logs?: number;
  errors?: number;
  anomalies?: number;
  analysed?: number;
  /** analysed / logs, 0..1; undefined until both are known or when there are no logs. */
  analysedShare?: number;
  calls?: number;
  tokens?: number;
  promptTokens?: number;
  completionTokens?: number;
}

/** The headline numbers from whichever sources have answered (a missing one leaves its numbers undefined). */
export function headline(stats?: LogStats, summary?: AnalysisSummary, status?: AnalysisStatus): Headline {
  const h: Headline = {};
  if (stats) {
    h.logs = stats.by_level.reduce((a, b) => a + b.count, 0);
    h.errors = stats.by_level.filter((b) => b.key === 'error' || b.key === 'fatal').reduce((a, b) => a + b.count, 0);
  }
  if (summary) {
    h.anomalies = summary.anomalies;
    h.analysed = summary.total;
  }
  if (h.logs !== undefined && h.analysed !== undefined && h.logs > 0) h.analysedShare = Math.min(1, h.analysed / h.logs);
  if (status) {
    const u = status.usage_today;
    h.calls = u.calls;
    h.promptTokens = u.prompt_tokens;
    h.completionTokens = u.completion_tokens;
    // Reasoning tokens are already part of the completion count in OpenAI-style usage.
    h.tokens = u.prompt_tokens + u.completion_tokens;
  }
  return h;
}
