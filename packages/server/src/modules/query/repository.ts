import type { Queryable } from '../../db/types.js';

export interface LogFilter {
  from: string;
  to: string;
  services: string[];
  levels: string[];
  q: string | undefined;
  after: { ts: string; id: string } | undefined;
  order: 'asc' | 'desc';
  limit: number;
}

export interface LogRecord {
  id: string;
  timestamp: string;
  received_at: string;
  level: string;
  service: string;
  message: string;
  attributes: Record<string, unknown>;
  event_id: string | null;
}

const utc = (col: string): string => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const COLUMNS = `id::text AS id, ${utc('ts')} AS timestamp, ${utc('received_at')} AS received_at,
  level, service, message, attributes, event_id`;

/** Reads one page of logs, newest first (or oldest first), after the cursor position. */
export async function findLogs(q: Queryable, f: LogFilter): Promise<LogRecord[]> {
  const where = ['ts >= $1::timestamptz', 'ts < $2::timestamptz'];
  const params: unknown[] = [f.from, f.to];
  const add = (sql: (n: number) => string, value: unknown): void => {
    params.push(value);
    where.push(sql(params.length));
  };
  if (f.services.length > 0) add((n) => `service = ANY($${n}::text[])`, f.services);
  if (f.levels.length > 0) add((n) => `level = ANY($${n}::text[])`, f.levels);
  // Must match the expression of logs_message_fts_idx for the index to serve it.
  if (f.q) add((n) => `to_tsvector('simple', message) @@ websearch_to_tsquery('simple', $${n})`, f.q);
  const cmp = f.order === 'desc' ? '<' : '>';
  if (f.after) {
    params.push(f.after.ts, f.after.id);
    where.push(`(ts, id) ${cmp} ($${params.length - 1}::timestamptz, $${params.length}::bigint)`);
  }
  params.push(f.limit);
  const dir = f.order === 'desc' ? 'DESC' : 'ASC';
  const r = await q.query<LogRecord>(
    `SELECT ${COLUMNS} FROM logs WHERE ${where.join(' AND ')} ORDER BY ts ${dir}, id ${dir} LIMIT $${params.length}`,
    params,
  );
  return r.rows;
}

/** Reads one log by id, or undefined. */
export async function findLogById(q: Queryable, id: string): Promise<LogRecord | undefined> {
  const r = await q.query<LogRecord>(`SELECT ${COLUMNS} FROM logs WHERE id = $1::bigint`, [id]);
  return r.rows[0];
}

export interface BucketCount {
  time: string;
  key: string;
  count: number;
}

/** Counts logs per time bucket and per value of `column` (level or service) over [from, to). */
export async function countByBucket(
  q: Queryable,
  column: 'level' | 'service',
  range: { from: string; to: string; bucketSeconds: number },
): Promise<BucketCount[]> {
  const r = await q.query<{ time: string; key: string; count: string | number }>(
    `SELECT ${utc("date_bin(make_interval(secs => $3), ts, '1970-01-01T00:00:00Z'::timestamptz)")} AS time, ${column} AS key, count(*) AS count
       FROM logs WHERE ts >= $1::timestamptz AND ts < $2::timestamptz
      GROUP BY 1, 2 ORDER BY 1, 2`,
    [range.from, range.to, range.bucketSeconds],
  );
  return r.rows.map((row) => ({ time: row.time, key: row.key, count: Number(row.count) }));
}

export interface ServiceRecord {
  name: string;
  first_seen: string;
  last_seen: string;
}

/** Lists the services that sent logs since `since`, from the table ingestion keeps current. */
export async function listServices(q: Queryable, since: string): Promise<ServiceRecord[]> {
  const r = await q.query<ServiceRecord>(
    `SELECT name, ${utc('first_seen')} AS first_seen, ${utc('last_seen')} AS last_seen
       FROM services WHERE last_seen >= $1::timestamptz ORDER BY name`,
    [since],
  );
  return r.rows;
}
