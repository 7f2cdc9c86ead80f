import type { Db, Queryable } from '../db/types.js';
import { retryDelay, RetryLaterError, type AnalysisJob, type JobHandler, type JobQueue, type QueueCounts, type QueueOptions } from './types.js';

interface ClaimedRow {
  id: string;
  data: { keys: string[] };
  attempts_made: number;
}

const IDLE_POLL_MS = 250;

/**
 * The embedded queue: jobs are rows of `analysis_jobs`. A job is claimed with a lease
 * (`locked_until`) renewed while it runs; a worker that dies mid-job leaves a lease that expires,
 * and the job runs again.
 */
class DatabaseQueue implements JobQueue {
  readonly kind = 'database' as const;
  private running = false;
  private readonly loops: Promise<void>[] = [];
  private readonly sleepers = new Set<() => void>();

  constructor(
    private readonly db: Db,
    private readonly opts: QueueOptions,
    private readonly onError: (err: unknown) => void,
  ) {}

  async add(jobs: AnalysisJob[], tx?: Queryable): Promise<void> {
    if (jobs.length === 0) return;
    await (tx ?? this.db).query(
      `INSERT INTO analysis_jobs (id, data, state) SELECT id, jsonb_build_object('keys', keys), 'waiting'
         FROM jsonb_to_recordset($1::jsonb) AS j(id text, keys jsonb) ON CONFLICT (id) DO NOTHING`,
      [JSON.stringify(jobs)],
    );
    this.wakeAll();
  }

  process(handler: JobHandler, concurrency: number): void {
    this.running = true;
    for (let i = 0; i < concurrency; i++) this.loops.push(this.loop(handler));
  }

  async live(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const r = await this.db.query<{ id: string }>(`SELECT id FROM analysis_jobs WHERE id = ANY($1) AND state IN ('waiting', 'active')`, [ids]);
    return new Set(r.rows.map((x) => x.id));
  }

  async counts(): Promise<Record<string, QueueCounts>> {
    const r = await this.db.query<{ state: string; delayed: boolean; n: string }>(
      `SELECT state, state = 'waiting' AND run_at > now() AS delayed, count(*) AS n FROM analysis_jobs GROUP BY 1, 2`,
    );
    const c: QueueCounts = { waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0 };
    for (const x of r.rows) c[x.delayed ? 'delayed' : (x.state as keyof QueueCounts)] += Number(x.n);
    return { database: c };
  }

  async healthy(): Promise<Record<string, boolean>> {
    return { database: await this.db.query('SELECT 1').then(() => true, () => false) };
  }

  async close(): Promise<void> {
    this.running = false;
    this.wakeAll();
    await Promise.all(this.loops);
  }

  private wakeAll(): void {
    for (const w of this.sleepers) w();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((r) => {
      const done = (): void => {
        clearTimeout(t);
        this.sleepers.delete(done);
        r();
      };
      const t = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }

  private async claim(): Promise<ClaimedRow | undefined> {
    const r = await this.db.query<ClaimedRow>(
      `UPDATE analysis_jobs j SET state = 'active', attempts_made = j.attempts_made + 1,
              locked_until = now() + make_interval(secs => $1::double precision / 1000)
        WHERE j.id = (SELECT id FROM analysis_jobs
                       WHERE (state = 'waiting' AND run_at <= now()) OR (state = 'active' AND locked_until < now())
                       ORDER BY run_at LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING j.id, j.data, j.attempts_made`,
      [this.opts.lockMs],
    );
    return r.rows[0];
  }

  private async loop(handler: JobHandler): Promise<void> {
    while (this.running) {
      const row = await this.claim().catch((err: unknown) => void this.onError(err));
      if (!row) {
        await this.sleep(IDLE_POLL_MS);
        continue;
      }
      await this.finish(row, await this.run(handler, row)).catch(this.onError);
    }
  }

  /** Runs one job, renewing its lease meanwhile (LLM calls can take minutes); returns its failure. */
  private async run(handler: JobHandler, row: ClaimedRow): Promise<unknown> {
    const renew = setInterval(() => {
      this.db
        .query(`UPDATE analysis_jobs SET locked_until = now() + make_interval(secs => $2::double precision / 1000) WHERE id = $1 AND state = 'active'`, [row.id, this.opts.lockMs])
        .catch(this.onError);
    }, Math.max(500, Math.floor(this.opts.lockMs / 3)));
    try {
      await handler({ id: row.id, keys: row.data.keys }, { attempt: row.attempts_made });
      return undefined;
    } catch (err) {
      return err ?? new Error('job failed');
    } finally {
      clearInterval(renew);
    }
  }

  // If this update fails, the lease simply expires and the job runs again (handlers are idempotent).
  private async finish(row: ClaimedRow, err: unknown): Promise<void> {
    if (err === undefined) {
      await this.db.query(`UPDATE analysis_jobs SET state = 'completed', finished_at = now(), locked_until = NULL WHERE id = $1`, [row.id]);
    } else if (err instanceof RetryLaterError) {
      await this.db.query(
        `UPDATE analysis_jobs SET state = 'waiting', attempts_made = attempts_made - 1, locked_until = NULL, last_error = $2,
                run_at = now() + make_interval(secs => $3::double precision / 1000) WHERE id = $1`,
        [row.id, err.message, err.delayMs],
      );
    } else {
      const final = row.attempts_made >= this.opts.attempts;
      await this.db.query(
        `UPDATE analysis_jobs SET state = $2, locked_until = NULL, last_error = $3, finished_at = CASE WHEN $2 = 'failed' THEN now() END,
                run_at = now() + make_interval(secs => $4::double precision / 1000) WHERE id = $1`,
        [row.id, final ? 'failed' : 'waiting', err instanceof Error ? err.message : 'job failed', retryDelay(row.attempts_made, this.opts.retryBaseMs)],
      );
    }
  }
}

/** The embedded queue on the database (see DatabaseQueue). */
export function createDatabaseQueue(db: Db, opts: QueueOptions, onError: (err: unknown) => void): JobQueue {
  return new DatabaseQueue(db, opts, onError);
}

/** Deletes finished jobs older than `maxAgeMs` so the table stays small. */
export async function pruneDatabaseJobs(db: Queryable, maxAgeMs: number): Promise<number> {
  const r = await db.query(
    `DELETE FROM analysis_jobs WHERE state IN ('completed', 'failed') AND finished_at < now() - make_interval(secs => $1::double precision / 1000)`,
    [maxAgeMs],
  );
  return r.rowCount;
}
