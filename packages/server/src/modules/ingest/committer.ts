import type { Db } from '../../db/types.js';
import { AppError, asUnavailable, isTransientDbError } from '../../lib/errors.js';
import { insertLogs, mergeSearchPendingLists } from './repo-logs.js';
import { ServiceSpans } from './service-spans.js';
import type { LogRow } from './normalize.js';

interface Waiter {
  rows: LogRow[];
  resolve: (duplicates: boolean[]) => void;
  reject: (err: unknown) => void;
}

export interface CommitterOptions {
  db: Db;
  maxPending: number;
  /** Concurrent flushes; each holds one connection. */
  maxInflight?: number;
  maxRowsPerFlush?: number;
  /** Called when a row found no partition (a day boundary passed); the flush is retried once after it. */
  ensurePartitions: () => Promise<unknown>;
  /** Levels whose logs are marked pending analysis when stored. */
  analysedLevels: readonly string[];
  /** Called after each committed flush (metrics). */
  onFlush?: () => void;
}

const NO_PARTITION = '23514';
/**
 * Rows stored between background merges of the full-text pending lists: well below what fills a
 * list (gin_pending_list_limit, migration 0011), so the insert that would overflow one, and merge
 * it inside a request, never comes.
 */
const MERGE_EVERY_ROWS = 20_000;

/**
 * Group commit: concurrent requests share one INSERT per flush. While a flush runs, new requests
 * queue up and go together in the next one, so the batch size grows with the load by itself.
 */
export class GroupCommitter {
  private queue: Waiter[] = [];
  private pendingRows = 0;
  private inflight = 0;
  private idle: (() => void)[] = [];
  private readonly maxInflight: number;
  private readonly maxRows: number;
  private readonly services = new ServiceSpans();
  private rowsSinceMerge = 0;
  private merging: Promise<void> | undefined;

  constructor(private readonly opts: CommitterOptions) {
    this.maxInflight = opts.maxInflight ?? 2;
    this.maxRows = opts.maxRowsPerFlush ?? 5000;
  }

  /** Stores `rows` and resolves after the commit, saying for each row whether its event id was already stored. */
  submit(rows: LogRow[]): Promise<boolean[]> {
    if (this.pendingRows > 0 && this.pendingRows + rows.length > this.opts.maxPending) {
      return Promise.reject(new AppError('unavailable', 'ingestion is saturated; retry later', undefined, 1));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ rows, resolve, reject });
      this.pendingRows += rows.length;
      this.kick();
    });
  }

  /** Resolves once every submitted row has been committed or failed. */
  async drain(): Promise<void> {
    if (this.inflight > 0 || this.queue.length > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
    await this.merging;
  }

  get pending(): number {
    return this.pendingRows;
  }

  private kick(): void {
    while (this.inflight < this.maxInflight && this.queue.length > 0) {
      const group: Waiter[] = [];
      let n = 0;
      while (this.queue.length > 0 && (group.length === 0 || n + this.queue[0]!.rows.length <= this.maxRows)) {
        const w = this.queue.shift()!;
        group.push(w);
        n += w.rows.length;
      }
      this.inflight++;
      void this.flush(group).finally(() => {
        this.inflight--;
        this.pendingRows -= n;
        this.kick();
        if (this.inflight === 0 && this.queue.length === 0) this.idle.splice(0).forEach((f) => f());
      });
    }
  }

  private async flush(group: Waiter[]): Promise<void> {
    try {
      const results = await this.write(group);
      group.forEach((w, i) => w.resolve(results[i]!));
    } catch (err) {
      if (group.length > 1 && !isTransientDbError(err)) {
        // One request's rows broke the statement: retry each request alone so only that one fails.
        await Promise.all(group.map((w) => this.flush([w])));
        return;
      }
      group.forEach((w) => w.reject(asUnavailable(err)));
    }
  }

  private async write(group: Waiter[], retried = false): Promise<boolean[][]> {
    const { rows, origin, dupOf } = combine(group);
    try {
      const spans = this.services.toWrite(rows);
      const { newEventRows } = await this.opts.db.transaction((tx) => insertLogs(tx, rows, this.opts.analysedLevels, spans));
      this.services.committed(spans);
      this.opts.onFlush?.();
      this.mergeSoon(rows.length);
      const dup = group.map((w) => w.rows.map(() => false));
      rows.forEach((r, i) => {
        if (r.eventId !== null && !newEventRows.has(i)) dup[origin[i]![0]]![origin[i]![1]] = true;
      });
      for (const [w, j] of dupOf) dup[w]![j] = true;
      return dup;
    } catch (err) {
      if (retried || (err as { code?: string }).code !== NO_PARTITION) throw err;
      await this.opts.ensurePartitions();
      return this.write(group, true);
    }
  }

  /** Counts stored rows, and past MERGE_EVERY_ROWS merges the full-text pending lists off the request path. */
  private mergeSoon(stored: number): void {
    // PGlite has one connection: a merge there would hold up the next flush; its inserts merge as before.
    if (this.opts.db.engine === 'pglite') return;
    this.rowsSinceMerge += stored;
    if (this.merging || this.rowsSinceMerge < MERGE_EVERY_ROWS) return;
    this.rowsSinceMerge = 0;
    // A failed merge loses nothing: the rows are stored and indexed in the list; the next merge, or the
    // insert that fills the list, merges them.
    this.merging = mergeSearchPendingLists(this.opts.db).then(
      () => undefined,
      () => undefined,
    ).finally(() => (this.merging = undefined));
  }
}

/** Concatenates the group's rows, leaving out repeats of an event id already in this flush. */
function combine(group: Waiter[]): { rows: LogRow[]; origin: [number, number][]; dupOf: [number, number][] } {
  const rows: LogRow[] = [];
  const origin: [number, number][] = [];
  const dupOf: [number, number][] = [];
  const seen = new Set<string>();
  group.forEach((w, wi) =>
    w.rows.forEach((r, j) => {
      if (r.eventId !== null) {
        const key = `${r.eventId}\u0000${r.ts}`;
        if (seen.has(key)) return void dupOf.push([wi, j]);
        seen.add(key);
      }
      rows.push(r);
      origin.push([wi, j]);
    }),
  );
  return { rows, origin, dupOf };
}
