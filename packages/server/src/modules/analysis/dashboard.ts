import { SEVERITIES } from '@logsage/contracts';
import type { Db } from '../../db/types.js';
import { guardDb } from '../../lib/errors.js';
import { autoBucket, checkBuckets, readRange, wholeMinutes } from '../../lib/range.js';
import { toPgTimestamp } from '../../lib/time.js';
import { summariseResults, templateHours } from './repo-dashboard.js';

const HOUR_MS = 3_600_000;
/** Hours in a template's sparkline: the current hour and the 23 before it. */
export const SPARKLINE_HOURS = 24;
const SEVERITY_ORDER: readonly string[] = SEVERITIES;

export interface Sparkline {
  bucket_seconds: number;
  from: string;
  counts: number[];
}

export interface AnalysisSummary {
  from: string;
  to: string;
  bucket_seconds: number;
  total: number;
  anomalies: number;
  by_severity: { key: string; count: number }[];
  by_category: { key: string; count: number }[];
  trend: { time: string; total: number; anomalies: number }[];
}

/** An ISO time as utcText renders it (microseconds), for whole-millisecond epoch times. */
const utcIso = (ms: number): string => new Date(ms).toISOString().replace(/Z$/, '000Z');

/**
 * Counts of analysis results over [from, to) (default: the last 24 hours): in all, by severity
 * (every severity, most severe first), by category (largest first) and per bucket (every bucket,
 * zeros included). Buckets are whole minutes aligned on the Unix epoch, as in /api/v1/stats.
 */
export async function analysisSummary(db: Db, query: { from?: string; to?: string; bucket?: number }, now: number): Promise<AnalysisSummary> {
  const r = readRange(query.from, query.to, now);
  const bucketSeconds = query.bucket ?? Math.max(60, autoBucket(r.to - r.from));
  checkBuckets(r, bucketSeconds);
  const { fullFrom, fullTo } = wholeMinutes(r);
  const rows = await guardDb(summariseResults(db, {
    from: toPgTimestamp(r.from), to: toPgTimestamp(r.to), fullFrom: toPgTimestamp(fullFrom), fullTo: toPgTimestamp(fullTo), bucketSeconds,
  }));
  const all = rows.find((x) => x.g === 7);
  const pick = (g: number) => rows.filter((x) => x.g === g).map((x) => ({ key: x.key ?? '', count: Number(x.total) }));
  const severities = new Map(pick(5).map((x) => [x.key, x.count]));
  const byCategory = pick(6).sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1));
  const trendRows = new Map(rows.filter((x) => x.g === 3).map((x) => [x.time, x]));
  const trend: AnalysisSummary['trend'] = [];
  const step = bucketSeconds * 1000;
  for (let t = Math.floor(r.from / step) * step; t < r.to; t += step) {
    const x = trendRows.get(utcIso(t));
    trend.push({ time: utcIso(t), total: Number(x?.total ?? 0), anomalies: Number(x?.anomalies ?? 0) });
  }
  return {
    from: toPgTimestamp(r.from),
    to: toPgTimestamp(r.to),
    bucket_seconds: bucketSeconds,
    total: Number(all?.total ?? 0),
    anomalies: Number(all?.anomalies ?? 0),
    by_severity: SEVERITY_ORDER.map((key) => ({ key, count: severities.get(key) ?? 0 })),
    by_category: byCategory,
    trend,
  };
}

/** Each template's lines per hour over the last 24 hours (oldest first, zeros filled), from template_counts_hour. */
export async function sparklines(db: Db, ids: string[], now: number, services: string[] = []): Promise<Map<string, Sparkline>> {
  const fromMs = Math.floor(now / HOUR_MS) * HOUR_MS - (SPARKLINE_HOURS - 1) * HOUR_MS;
  const from = toPgTimestamp(fromMs);
  const out = new Map(ids.map((id) => [id, { bucket_seconds: 3600, from, counts: new Array<number>(SPARKLINE_HOURS).fill(0) }]));
  for (const row of await guardDb(templateHours(db, ids, from, services))) {
    // Events up to a day ahead are accepted (clock skew); hours after the current one are left out.
    const line = out.get(row.id);
    if (line && row.i >= 0 && row.i < SPARKLINE_HOURS) line.counts[row.i] = Number(row.n);
  }
  return out;
}
