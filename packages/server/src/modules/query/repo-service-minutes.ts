import { utcText } from '../../db/sql.js';
import type { Queryable } from '../../db/types.js';

// SQL over the per-minute log counts ingestion keeps (log_counts_minute) and the services table,
// as the incident loop reads them: each service's lines and error lines per minute.

const ms = (col: string): string => `(extract(epoch from ${col}) * 1000)::float8`;

export interface ServiceMinuteCount {
  minuteMs: number;
  service: string;
  total: number;
  /** Lines of level error or fatal. */
  errors: number;
}

/** Lines and error lines per minute and service in [fromMs, toMs), minutes in order. */
export async function serviceMinuteCounts(q: Queryable, fromMs: number, toMs: number): Promise<ServiceMinuteCount[]> {
  const r = await q.query<{ m: number; service: string; total: number; errors: number }>(
    `SELECT ${ms('minute')} AS m, service, sum(count)::float8 AS total,
            (sum(count) FILTER (WHERE level IN ('error', 'fatal')))::float8 AS errors
       FROM log_counts_minute WHERE minute >= $1::timestamptz AND minute < $2::timestamptz
      GROUP BY minute, service ORDER BY minute, service`,
    [new Date(fromMs).toISOString(), new Date(toMs).toISOString()],
  );
  return r.rows.map((x) => ({ minuteMs: Number(x.m), service: x.service, total: Number(x.total), errors: Number(x.errors ?? 0) }));
}

/** Each named service's first stored line (event time, ms); services never seen are absent. */
export async function serviceFirstSeen(q: Queryable, services: string[]): Promise<Map<string, number>> {
  if (services.length === 0) return new Map();
  const r = await q.query<{ name: string; first: number }>(`SELECT name, ${ms('first_seen')} AS first FROM services WHERE name = ANY($1::text[])`, [services]);
  return new Map(r.rows.map((x) => [x.name, Number(x.first)]));
}

/** Up to `limit` error and fatal lines of a service at or before `beforeMs`, newest first. */
export async function serviceErrorSamples(
  q: Queryable,
  service: string,
  beforeMs: number,
  limit = 3,
): Promise<{ logId: string; ts: string; service: string; level: string; message: string }[]> {
  const r = await q.query<{ log_id: string; ts: string; service: string; level: string; message: string }>(
    `SELECT id::text AS log_id, ${utcText('ts')} AS ts, service, level, message FROM logs
      WHERE service = $1 AND level IN ('error', 'fatal') AND ts <= $2::timestamptz AND ts > $2::timestamptz - interval '1 day'
      ORDER BY ts DESC, id DESC LIMIT $3`,
    [service, new Date(beforeMs).toISOString(), limit],
  );
  return r.rows.map((x) => ({ logId: x.log_id, ts: x.ts, service: x.service, level: x.level, message: x.message }));
}
