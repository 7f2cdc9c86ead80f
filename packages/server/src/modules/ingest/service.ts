import type { Db } from '../../db/types.js';
import type { Metrics } from '../../lib/metrics.js';
import { AppError } from '../../lib/errors.js';
import { acceptWindow } from '../retention/index.js';
import type { SplitBody } from './body.js';
import { GroupCommitter } from './committer.js';
import { HeaderFieldFiller, type HeaderCandidate } from './header-fields.js';
import { absentFields, normalizeEntry, type LogRow, type Rejection } from './normalize.js';

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: number;
  errors: Rejection[];
  /** Batch indexes of the entries whose event id was already stored (shippers that answer per entry need them). */
  duplicateIndexes: number[];
}

/** The door a batch came in by: the native JSON route, or a shipper's protocol. Labels the ingest metrics. */
export type IngestProtocol = 'native' | 'elasticsearch' | 'loki' | 'otlp' | 'syslog';

export interface IngestService {
  /** Validates a batch, commits the good entries and answers with per-entry reasons for the rest. */
  ingest(body: SplitBody, protocol?: IngestProtocol): Promise<IngestResult>;
  /** Waits until every acknowledged write is committed (graceful shutdown). */
  drain(): Promise<void>;
  pending(): number;
}

export interface IngestDeps {
  db: Db;
  metrics: Metrics;
  retentionDays: number;
  maxMessageBytes: number;
  maxPending: number;
  ensurePartitions: () => Promise<unknown>;
  /** Levels whose logs are owed an analysis (ANALYSIS_LEVELS). */
  analysedLevels: readonly string[];
  now?: () => number;
}

/** Builds the ingest service around one group committer shared by every request of the process. */
export function createIngestService(deps: IngestDeps): IngestService {
  const committer = new GroupCommitter({
    db: deps.db,
    maxPending: deps.maxPending,
    // PGlite has one connection: a second concurrent flush would only wait for it, unbatched.
    maxInflight: deps.db.engine === 'pglite' ? 1 : 2,
    ensurePartitions: deps.ensurePartitions,
    analysedLevels: deps.analysedLevels,
    onFlush: () => deps.metrics.flushes.inc(),
  });
  const now = deps.now ?? Date.now;
  // Header layouts are learned per service across batches, so one filler serves the process.
  const headers = new HeaderFieldFiller();
  return {
    async ingest(body, protocol = 'native') {
      const t = now();
      const { min, max } = acceptWindow(t, deps.retentionDays);
      const limits = { now: t, minTs: min, maxTs: max, maxMessageBytes: deps.maxMessageBytes };
      const rows: LogRow[] = [];
      const rowIndexes: number[] = [];
      const errors = [...body.rejections];
      const candidates: HeaderCandidate[] = [];
      for (const { index, value } of body.entries) {
        const r = normalizeEntry(value, limits);
        if ('row' in r) {
          rows.push(r.row);
          rowIndexes.push(index);
          const missing = absentFields(value);
          if (missing.time || missing.level) candidates.push({ row: r.row, missing });
        } else errors.push({ index, ...r.rejection });
      }
      headers.fill(candidates, limits);
      errors.sort((a, b) => a.index - b.index);
      for (const e of errors) deps.metrics.rejected.inc({ reason: e.field || 'entry', protocol });
      if (rows.length === 0) {
        const message = errors.length === 0 ? 'the body holds no log entries' : 'no entry of the batch is usable';
        throw new AppError('invalid_logs', message, { rejected: errors.length, errors });
      }
      const dup = await committer.submit(rows);
      const duplicateIndexes = rowIndexes.filter((_, i) => dup[i]);
      const duplicates = duplicateIndexes.length;
      deps.metrics.ingested.inc({ protocol }, rows.length - duplicates);
      deps.metrics.duplicates.inc({ protocol }, duplicates);
      return { accepted: rows.length, duplicates, rejected: errors.length, errors, duplicateIndexes };
    },
    drain: () => committer.drain(),
    pending: () => committer.pending,
  };
}
