import { epochBin, utcText } from '../../db/sql.js';
import type { Queryable } from '../../db/types.js';
import { parseSearch, searchSql } from './search.js';

export interface LogFilter {
  from: string;
  to: string;
  services: string[];
  levels: string[];
  q: string | undefined;
  after: { ts: string; id: string } | undefined;
  order: 'asc' | 'desc';
  limit: number;
  /** Only logs whose analysis says anomaly (true) or not (false). */
  anomaly?: boolean | undefined;
  /** Only logs whose analysis has one of these severities. */
  severities?: string[];
  /** Only logs analysed as lines of one of these templates. */
  templates?: string[];
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
  analysis: AnalysisRecord | null;
  /** done: analysed; pending: waiting for its analysis; skipped: its level is not analysed. */
  analysis_status: 'done' | 'pending' | 'skipped';
}

export interface AnalysisRecord {
  source: 'llm' | 'template';
  is_anomaly: boolean;
  anomaly_score: number;
  severity: string;
  category: string;
  summary: string;
  root_cause: string;
  suggestion: string;
  confidence: number;
  template_id: string | null;
  model: string;
  prompt_version: string;
  demo: boolean;
  analysed_at: string;
}

const COLUMNS = `l.id::text AS id, ${utcText('l.ts')} AS timestamp, ${utcText('l.received_at')} AS received_at,
  l.level, l.service, l.message, l.attributes, l.event_id,
  CASE WHEN r.log_id IS NOT NULL THEN json_build_object('source', r.source, 'is_anomaly', r.is_anomaly, 'anomaly_score', r.anomaly_score,
    'severity', r.severity, 'category', r.category, 'summary', r.summary, 'root_cause', r.root_cause, 'suggestion', r.suggestion,
    'confidence', r.confidence, 'template_id', r.template_id, 'model', r.model, 'prompt_version', r.prompt_version, 'demo', r.demo,
    'analysed_at', ${utcText('r.analysed_at')}) END AS analysis,
  CASE WHEN r.log_id IS NOT NULL THEN 'done'
       WHEN EXISTS (SELECT 1 FROM analysis_pending p WHERE p.log_id = l.id) THEN 'pending' ELSE 'skipped' END AS analysis_status`;
// Pending is looked up per row shown (a correlated EXISTS, evaluated after the LIMIT), not joined:
// analysis_pending empties and refills all day, and a join planned on its "empty" statistics
// scanned its whole (not yet vacuumed) index once per row: 2 s for a page of 100.
const FROM = `logs l LEFT JOIN analysis_results r ON r.log_id = l.id AND r.ts = l.ts`;

/** Reads one page of logs, newest first (or oldest first), after the cursor position. */
export async function findLogs(q: Queryable, f: LogFilter): Promise<LogRecord[]> {
  const where = ['l.ts >= $1::timestamptz', 'l.ts < $2::timestamptz'];
  const params: unknown[] = [f.from, f.to];
  const add = (sql: (n: number) => string, value: unknown): void => {
    params.push(value);
    where.push(sql(params.length));
  };
  if (f.services.length > 0) add((n) => `l.service = ANY($${n}::text[])`, f.services);
  if (f.levels.length > 0) add((n) => `l.level = ANY($${n}::text[])`, f.levels);
  if (f.q) where.push(searchSql(parseSearch(f.q), 'l', (v) => `$${params.push(v)}`));
  if (f.anomaly !== undefined) add((n) => `r.is_anomaly = $${n}::boolean`, f.anomaly);
  if (f.severities && f.severities.length > 0) add((n) => `r.severity = ANY($${n}::text[])`, f.severities);
  if (f.templates && f.templates.length > 0) add((n) => `r.template_id = ANY($${n}::text[])`, f.templates);
  // r.ts = l.ts, but the planner does not carry the range across the join: stated, it lets the
  // results' ts index serve the range instead of a hash join over every result.
  if (f.anomaly !== undefined || (f.severities && f.severities.length > 0) || (f.templates && f.templates.length > 0)) where.push('r.ts >= $1::timestamptz', 'r.ts < $2::timestamptz');
  const cmp = f.order === 'desc' ? '<' : '>';
  if (f.after) {
    params.push(f.after.ts, f.after.id);
    where.push(`(l.ts, l.id) ${cmp} ($${params.length - 1}::timestamptz, $${params.length}::bigint)`);
  }
  params.push(f.limit);
  const dir = f.order === 'desc' ? 'DESC' : 'ASC';
  const r = await q.query<LogRecord>(
    `SELECT ${COLUMNS} FROM ${FROM} WHERE ${where.join(' AND ')} ORDER BY l.ts ${dir}, l.id ${dir} LIMIT $${params.length}`,
    params,
  );
  return r.rows;
}

/** Reads one log by id, or undefined. */
export async function findLogById(q: Queryable, id: string): Promise<LogRecord | undefined> {
  const r = await q.query<LogRecord>(`SELECT ${COLUMNS} FROM ${FROM} WHERE l.id = $1::bigint`, [id]);
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
    `SELECT ${utcText(epochBin('make_interval(secs => $3)', 'ts'))} AS time, ${column} AS key, count(*) AS count
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
    `SELECT name, ${utcText('first_seen')} AS first_seen, ${utcText('last_seen')} AS last_seen
       FROM services WHERE last_seen >= $1::timestamptz ORDER BY name`,
    [since],
  );
  return r.rows;
}
