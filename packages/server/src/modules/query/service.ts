import type { Db } from '../../db/types.js';
import { AppError, guardDb } from '../../lib/errors.js';
import { LEVELS, SEVERITIES } from '@logsage/contracts';
import { DAY_MS, autoBucket, checkBuckets, readRange, splitList, wholeMinutes } from '../../lib/range.js';
import { parseTimestamp, toPgTimestamp } from '../../lib/time.js';
import { searchWindows } from './narrow.js';
import { parseSearch } from './search.js';
import * as repo from './repo-logs.js';
import { countByBucketFromRollups } from './repo-rollups.js';

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
  template?: string;
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
  const range = (from?: string, to?: string): { from: number; to: number } => readRange(from, to, now(), deps.maxRangeDays);
  return {
    async logs(query) {
      const r = range(query.from, query.to);
      const filter: repo.LogFilter = {
        from: toPgTimestamp(r.from),
        to: toPgTimestamp(r.to),
        services: splitList(query.service),
        levels: checkLevels(splitList(query.level)),
        q: checkSearch(query.q),
        after: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
        order: query.order,
        limit: query.limit,
        anomaly: query.anomaly,
        severities: checkSeverities(splitList(query.severity)),
        templates: checkTemplates(splitList(query.template)),
      };
      const logs = await guardDb(readWindows(deps.db, filter));
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
      checkBuckets(r, bucketSeconds);
      const args = { from: toPgTimestamp(r.from), to: toPgTimestamp(r.to), bucketSeconds };
      const reply = (c: { byLevel: repo.BucketCount[]; byService: repo.BucketCount[] }): StatsReply =>
        ({ from: args.from, to: args.to, bucket_seconds: bucketSeconds, by_level: c.byLevel, by_service: c.byService });
      // Whole-minute buckets come from the per-minute counts (edges cut inside a minute from the logs).
      if (bucketSeconds % 60 === 0) {
        const full = wholeMinutes(r);
        return reply(await guardDb(countByBucketFromRollups(deps.db, { ...args, fullFrom: toPgTimestamp(full.fullFrom), fullTo: toPgTimestamp(full.fullTo) })));
      }
      const [byLevel, byService] = await guardDb(
        Promise.all([repo.countByBucket(deps.db, 'level', args), repo.countByBucket(deps.db, 'service', args)]),
      );
      return reply({ byLevel, byService });
    },
    services: () => guardDb(repo.listServices(deps.db, toPgTimestamp(now() - (deps.retentionDays + 1) * DAY_MS))),
  };
}

/** Reads a page window by window (see searchWindows) until it is full. */
async function readWindows(db: Db, filter: repo.LogFilter): Promise<repo.LogRecord[]> {
  const logs: repo.LogRecord[] = [];
  for (const w of await searchWindows(db, filter)) {
    logs.push(...(await repo.findLogs(db, { ...w, limit: filter.limit - logs.length })));
    if (logs.length === filter.limit) break;
  }
  return logs;
}

/** A malformed q is a 400 naming the problem and its position (in q as sent), before any database work. */
function checkSearch(q: string | undefined): string | undefined {
  const trimmed = q?.trim() || undefined;
  if (trimmed !== undefined) parseSearch(q!);
  return trimmed;
}

function checkLevels(levels: string[]): string[] {
  const bad = levels.filter((l) => !(LEVELS as readonly string[]).includes(l));
  if (bad.length > 0) throw invalid(`level: unknown ${bad.join(', ')}; use ${LEVELS.join(', ')}`);
  return levels;
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


function checkSeverities(list: string[]): string[] {
  const bad = list.filter((s) => !(SEVERITIES as readonly string[]).includes(s));
  if (bad.length > 0) throw invalid(`severity: unknown ${bad.join(', ')}; use ${SEVERITIES.join(', ')}`);
  return list;
}

/** Template ids as GET /api/v1/templates lists them: at most 50, each short, no wildcards. */
function checkTemplates(list: string[]): string[] {
  if (list.length > 50) throw invalid('template: at most 50 ids');
  const bad = list.filter((t) => !/^[\w:.-]{1,100}$/.test(t));
  if (bad.length > 0) throw invalid(`template: not a template id: ${bad.slice(0, 3).join(', ')}`);
  return list;
}
