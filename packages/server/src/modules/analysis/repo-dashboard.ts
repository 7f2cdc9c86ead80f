import { epochBin, utcText } from '../../db/sql.js';
import type { Queryable } from '../../db/types.js';

// SQL of the dashboard's analysis reads, served by the rollups kept at write time
// (analysis_counts_minute by resolveKeys, template_counts_hour by the assign pass).

export interface SummaryRow {
  /** 3: a trend bucket, 5: a severity, 6: a category, 7: the whole range (GROUPING bits of b, severity, category). */
  g: number;
  time: string | null;
  key: string | null;
  total: string;
  anomalies: string;
}

/**
 * Analysis results over [from, to) by severity, by category, per bucket and in all: whole minutes
 * [fullFrom, fullTo) from analysis_counts_minute, the partial minutes at either edge from the results
 * themselves, so the counts equal counting the results. `bucketSeconds` must be whole minutes.
 */
export async function summariseResults(
  q: Queryable,
  r: { from: string; to: string; fullFrom: string; fullTo: string; bucketSeconds: number },
): Promise<SummaryRow[]> {
  const res = await q.query<SummaryRow>(
    `WITH x AS (
       SELECT minute AS t, severity, category, is_anomaly, count AS n FROM analysis_counts_minute
        WHERE minute >= $4::timestamptz AND minute < $5::timestamptz
       UNION ALL SELECT ts, severity, category, is_anomaly, 1 FROM analysis_results WHERE ts >= $1::timestamptz AND ts < $4::timestamptz
       UNION ALL SELECT ts, severity, category, is_anomaly, 1 FROM analysis_results WHERE ts >= $5::timestamptz AND ts < $2::timestamptz),
     y AS (SELECT ${epochBin('make_interval(secs => $3)', 't')} AS b, severity, category, is_anomaly, n FROM x)
     SELECT GROUPING(b, severity, category) AS g, ${utcText('b')} AS time, coalesce(severity, category) AS key,
            sum(n)::text AS total, coalesce(sum(n) FILTER (WHERE is_anomaly), 0)::text AS anomalies
       FROM y GROUP BY GROUPING SETS ((b), (severity), (category), ())`,
    [r.from, r.to, r.bucketSeconds, r.fullFrom, r.fullTo],
  );
  return res.rows;
}

/**
 * Hourly counts of the given templates from `fromHour` on, as [template id, hour index, count]
 * (index 0 is `fromHour`); only lines of `services` when some are given.
 */
export async function templateHours(q: Queryable, ids: string[], fromHour: string, services: string[]): Promise<{ id: string; i: number; n: string }[]> {
  if (ids.length === 0) return [];
  const r = await q.query<{ id: string; i: number; n: string }>(
    `SELECT template_id AS id, (extract(epoch FROM hour - $2::timestamptz) / 3600)::int AS i, sum(count)::text AS n
       FROM template_counts_hour
      WHERE template_id = ANY($1::text[]) AND hour >= $2::timestamptz AND (cardinality($3::text[]) = 0 OR service = ANY($3::text[]))
      GROUP BY 1, 2`,
    [ids, fromHour, services],
  );
  return r.rows;
}
