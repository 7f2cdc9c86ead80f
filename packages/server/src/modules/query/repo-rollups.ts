import { epochBin, utcText } from '../../db/sql.js';
import type { Queryable } from '../../db/types.js';
import type { BucketCount } from './repo-logs.js';

// SQL of the read side over the per-minute rollups (log_counts_minute, kept by ingestion, and
// analysis_counts_minute, kept where results are written).

/**
 * Counts logs per bucket by level and by service over [from, to): whole minutes [fullFrom, fullTo)
 * from log_counts_minute, the partial minutes at either edge from the logs themselves, so the
 * answer equals counting the logs. `bucketSeconds` must be whole minutes (a minute then never
 * straddles two buckets).
 */
export async function countByBucketFromRollups(
  q: Queryable,
  r: { from: string; to: string; fullFrom: string; fullTo: string; bucketSeconds: number },
): Promise<{ byLevel: BucketCount[]; byService: BucketCount[] }> {
  const rows = await q.query<{ dim: 'level' | 'service'; time: string; key: string; count: string }>(
    `WITH x AS (
       SELECT minute AS t, service, level, count AS n FROM log_counts_minute WHERE minute >= $4::timestamptz AND minute < $5::timestamptz
       UNION ALL SELECT ts, service, level, 1 FROM logs WHERE ts >= $1::timestamptz AND ts < $4::timestamptz
       UNION ALL SELECT ts, service, level, 1 FROM logs WHERE ts >= $5::timestamptz AND ts < $2::timestamptz),
     y AS (SELECT ${epochBin('make_interval(secs => $3)', 't')} AS b, service, level, n FROM x)
     SELECT CASE WHEN GROUPING(level) = 0 THEN 'level' ELSE 'service' END AS dim, ${utcText('b')} AS time,
            coalesce(level, service) AS key, sum(n)::text AS count
       FROM y GROUP BY GROUPING SETS ((b, level), (b, service))
      ORDER BY 1, b, 3`,
    [r.from, r.to, r.bucketSeconds, r.fullFrom, r.fullTo],
  );
  const byLevel: BucketCount[] = [];
  const byService: BucketCount[] = [];
  for (const row of rows.rows) (row.dim === 'level' ? byLevel : byService).push({ time: row.time, key: row.key, count: Number(row.count) });
  return { byLevel, byService };
}

/** What a log search asks of a rollup: the filters that rollup holds. */
export interface RollupFilter {
  services: string[];
  levels: string[];
  anomaly: boolean | undefined;
  severities: string[];
}

function rollupWhere(source: 'logs' | 'analysis', f: RollupFilter, params: unknown[]): string {
  const where: string[] = [];
  const add = (sql: (n: number) => string, value: unknown): void => {
    params.push(value);
    where.push(sql(params.length));
  };
  if (f.services.length > 0) add((n) => `service = ANY($${n}::text[])`, f.services);
  if (source === 'logs' && f.levels.length > 0) add((n) => `level = ANY($${n}::text[])`, f.levels);
  if (source === 'analysis' && f.anomaly !== undefined) add((n) => `is_anomaly = $${n}::boolean`, f.anomaly);
  if (source === 'analysis' && f.severities.length > 0) add((n) => `severity = ANY($${n}::text[])`, f.severities);
  return where.map((w) => ` AND ${w}`).join('');
}

const TABLE = { logs: 'log_counts_minute', analysis: 'analysis_counts_minute' } as const;

/** Whether any minute of [lo, hi) counts a matching row; `source` picks the rollup: logs (service, level) or analysis (service, anomaly, severity). */
export async function anyInMinutes(q: Queryable, source: 'logs' | 'analysis', f: RollupFilter, w: { lo: string; hi: string }): Promise<boolean> {
  const params: unknown[] = [w.lo, w.hi];
  const where = rollupWhere(source, f, params);
  const r = await q.query<{ found: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM ${TABLE[source]} WHERE minute >= $1::timestamptz AND minute < $2::timestamptz AND count > 0${where}) AS found`,
    params,
  );
  return r.rows[0]?.found === true;
}

/**
 * Walks the minutes of [lo, hi) newest first (desc) or oldest first (asc), adding up matching rows,
 * and returns for each target the minute where the sum first reaches it (null when it never does).
 * Each target's walk streams down the minute index and stops there, so a near edge costs little.
 */
export async function minuteEdges(
  q: Queryable,
  source: 'logs' | 'analysis',
  f: RollupFilter,
  w: { lo: string; hi: string; targets: number[]; order: 'asc' | 'desc' },
): Promise<(string | null)[]> {
  const params: unknown[] = [w.lo, w.hi, w.targets];
  const where = rollupWhere(source, f, params);
  const dir = w.order === 'desc' ? 'DESC' : 'ASC';
  const r = await q.query<{ edge: string | null }>(
    `SELECT (SELECT ${utcText('c.minute')} FROM (
               SELECT minute, sum(sum(count)) OVER (ORDER BY minute ${dir} ROWS UNBOUNDED PRECEDING) AS cum
                 FROM ${TABLE[source]} WHERE minute >= $1::timestamptz AND minute < $2::timestamptz${where}
                GROUP BY minute ORDER BY minute ${dir}) c
             WHERE c.cum >= u.target ORDER BY c.minute ${dir} LIMIT 1) AS edge
       FROM unnest($3::bigint[]) WITH ORDINALITY AS u(target, i) ORDER BY u.i`,
    params,
  );
  return r.rows.map((x) => x.edge);
}
