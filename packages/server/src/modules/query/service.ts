import type { Db } from '../../db/types.js';
import { AppError, guardDb } from '../../http/errors.js';
import { LEVELS } from '../ingest/index.js';
import { parseTimestamp, toPgTimestamp } from '../../lib/time.js';
import * as repo from './repository.js';

const DAY_MS = 86_400_000;
const MAX_BUCKETS = 1000;

export interface LogQuery {
  from?: string;
  to?: string;
  service?: string;
  level?: string;
  q?: string;
  cursor?: string;
  limit: number;
  order: 'asc' | 'desc';
  anomaly?: boolean;
  severity?: string;
}

export interface QueryService {
  logs(query: LogQuery): Promise<{ logs: repo.LogRecord[]; next_cursor: string | null }>;
  log(id: string): Promise<repo.LogRecord>;
  stats(query: { from?: string; to?: string; bucket?: number }): Promise<StatsReply>;
  services(): Promise<repo.ServiceRecord[]>;
}

export interface StatsReply {
  from: string;
  to: string;
  bucket_seconds: number;
  by_level: repo.BucketCount[];
  by_service: repo.BucketCount[];
}

const invalid = (message: string): AppError => new AppError('invalid_query', message);

/** Builds the read side: filters are checked here so an abusive query never reaches the database. */
export function createQueryService(deps: { db: Db; maxRangeDays: number; retentionDays: number; now?: () => number }): QueryService {
  const now = deps.now ?? Date.now;
  const range = (from?: string, to?: string): { from: number; to: number } => {
    const t = to === undefined ? now() : parseTimestamp(to);
    if (t === undefined) throw invalid(`to: unreadable time "${to}"; use ISO 8601 or epoch milliseconds`);
    const f = from === undefined ? t - DAY_MS : parseTimestamp(from);
    if (f === undefined) throw invalid(`from: unreadable time "${from}"; use ISO 8601 or epoch milliseconds`);
    if (f >= t) throw invalid('from must be earlier than to');
    if (t - f > deps.maxRangeDays * DAY_MS) {
      throw invalid(`the time range spans more than ${deps.maxRangeDays} days; narrow from/to (QUERY_MAX_RANGE_DAYS)`);
    }
    return { from: f, to: t };
  };
  return {
    async logs(query) {
      const r = range(query.from, query.to);
      const filter: repo.LogFilter = {
        from: toPgTimestamp(r.from),
        to: toPgTimestamp(r.to),
        services: splitList(query.service),
        levels: checkLevels(splitList(query.level)),
        q: query.q?.trim() || undefined,
        after: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
        order: query.order,
        limit: query.limit,
        anomaly: query.anomaly,
        severities: checkSeverities(splitList(query.severity)),
      };
      const logs = await guardDb(repo.findLogs(deps.db, filter));
      const last = logs.at(-1);
      return { logs, next_cursor: logs.length === query.limit && last ? encodeCursor(last.timestamp, last.id) : null };
    },
    async log(id) {
      if (!/^\d{1,18}$/.test(id)) throw invalid('id must be a positive whole number');
      const row = await guardDb(repo.findLogById(deps.db, id));
      if (!row) throw new AppError('not_found', `no log with id ${id}`);
      return row;
    },
    async stats(query) {
      const r = range(query.from, query.to);
      const bucketSeconds = query.bucket ?? autoBucket(r.to - r.from);
      if ((r.to - r.from) / (bucketSeconds * 1000) > MAX_BUCKETS) {
        throw invalid(`more than ${MAX_BUCKETS} buckets; raise bucket (seconds) or narrow the range`);
      }
      const args = { from: toPgTimestamp(r.from), to: toPgTimestamp(r.to), bucketSeconds };
      const [byLevel, byService] = await guardDb(
        Promise.all([repo.countByBucket(deps.db, 'level', args), repo.countByBucket(deps.db, 'service', args)]),
      );
      return { from: args.from, to: args.to, bucket_seconds: bucketSeconds, by_level: byLevel, by_service: byService };
    },
    services: () => guardDb(repo.listServices(deps.db, toPgTimestamp(now() - (deps.retentionDays + 1) * DAY_MS))),
  };
}

const splitList = (v: string | undefined): string[] => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);

function checkLevels(levels: string[]): string[] {
  const bad = levels.filter((l) => !(LEVELS as readonly string[]).includes(l));
  if (bad.length > 0) throw invalid(`level: unknown ${bad.join(', ')}; use ${LEVELS.join(', ')}`);
  return levels;
}

/** Picks a bucket width (seconds) giving about 60 buckets, rounded to a friendly step. */
function autoBucket(spanMs: number): number {
  const steps = [10, 30, 60, 300, 600, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86_400];
  return steps.find((s) => spanMs / (s * 1000) <= 60) ?? 86_400;
}

/** The cursor is the last row's (timestamp, id), base64url-encoded. */
export function encodeCursor(ts: string, id: string): string {
  return Buffer.from(`${ts}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { ts: string; id: string } {
  const [ts, id, extra] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (extra !== undefined || !ts || !id || !/^\d{1,18}$/.test(id) || parseTimestamp(ts) === undefined) {
    throw invalid('cursor is malformed; pass next_cursor from the previous page unchanged');
  }
  return { ts, id };
}

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];

function checkSeverities(list: string[]): string[] {
  const bad = list.filter((s) => !SEVERITIES.includes(s));
  if (bad.length > 0) throw invalid(`severity: unknown ${bad.join(', ')}; use ${SEVERITIES.join(', ')}`);
  return list;
}
