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
 * (`locked_until`); a worker that dies mid-job leaves a lease that expires, and the job runs again.
 */
export function createDatabaseQueue(db: Db, opts: QueueOptions, onError: (err: unknown) => void): JobQueue {
  let running = false;
  const loops: Promise<void>[] = [];
  const sleepers = new Set<() => void>();
  const wakeAll = (): void => {
    for (const w of sleepers) w();
  };

  const claim = async (): Promise<ClaimedRow | undefined> => {
    const r = await db.query<ClaimedRow>(
      `UPDATE analysis_jobs j SET state = 'active', attempts_made = j.attempts_made + 1,
              locked_until = now() + make_interval(secs => $1::double precision / 1000)
        WHERE j.id = (SELECT id FROM analysis_jobs
                       WHERE (state = 'waiting' AND run_at <= now()) OR (state = 'active' AND locked_until < now())
                       ORDER BY run_at LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING j.id, j.data, j.attempts_made`,
      [opts.lockMs],
    );
    return r.rows[0];
  };

  const finish = async (row: ClaimedRow, err: unknown): Promise<void> => {
    if (err === undefined) {
      await db.query(`UPDATE analysis_jobs SET state = 'completed', finished_at = now(), locked_until = NULL WHERE id = $1`, [row.id]);
    } else if (err instanceof RetryLaterError) {
      await db.query(
        `UPDATE analysis_jobs SET state = 'waiting', attempts_made = attempts_made - 1, locked_until = NULL, last_error = $2,
                run_at = now() + make_interval(secs => $3::double precision / 1000) WHERE id = $1`,
        [row.id, err.message, err.delayMs],
      );
    } else {
      const final = row.attempts_made >= opts.attempts;
      await db.query(
        `UPDATE analysis_jobs SET state = $2, locked_until = NULL, last_error = $3, finished_at = CASE WHEN $2 = 'failed' THEN now() END,
                run_at = now() + make_interval(secs => $4::double precision / 1000) WHERE id = $1`,
        [row.id, final ? 'failed' : 'waiting', err instanceof Error ? err.message : String(err), retryDelay(row.attempts_made, opts.retryBaseMs)],
      );
    }
  };

  const loop = async (handler: JobHandler): Promise<void> => {
    while (running) {
      let row: ClaimedRow | undefined;
      try {
        row = await claim();
      } catch (err) {
        onError(err);
      }
      if (!row) {
        await new Promise<void>((r) => {
          const done = (): void => {
            clearTimeout(t);
            sleepers.delete(done);
            r();
          };
          const t = setTimeout(done, IDLE_POLL_MS);
          sleepers.add(done);
        });
        continue;
      }
      let failure: unknown;
      // Keep the lease while the job runs (LLM calls can take minutes); a dead worker stops renewing.
      const renew = setInterval(() => {
        db.query(`UPDATE analysis_jobs SET locked_until = now() + make_interval(secs => $2::double precision / 1000) WHERE id = $1 AND state = 'active'`, [
          row.id,
          opts.lockMs,
        ]).catch(onError);
      }, Math.max(500, Math.floor(opts.lockMs / 3)));
      try {
        await handler({ id: row.id, keys: row.data.keys }, { attempt: row.attempts_made });
      } catch (err) {
        failure = err ?? new Error('job failed');
      } finally {
        clearInterval(renew);
      }
      // If this update fails the lease simply expires and the job runs again (handlers are idempotent).
      await finish(row, failure).catch(onError);
    }
  };

  return {
    kind: 'database',
    async add(jobs: AnalysisJob[], tx?: Queryable) {
      if (jobs.length === 0) return;
      await (tx ?? db).query(
        `INSERT INTO analysis_jobs (id, data, state) SELECT id, jsonb_build_object('keys', keys), 'waiting'
           FROM jsonb_to_recordset($1::jsonb) AS j(id text, keys jsonb) ON CONFLICT (id) DO NOTHING`,
        [JSON.stringify(jobs)],
      );
      wakeAll();
    },
    process(handler, concurrency) {
      running = true;
      for (let i = 0; i < concurrency; i++) loops.push(loop(handler));
    },
    async live(ids) {
      if (ids.length === 0) return new Set();
      const r = await db.query<{ id: string }>(`SELECT id FROM analysis_jobs WHERE id = ANY($1) AND state IN ('waiting', 'active')`, [ids]);
      return new Set(r.rows.map((x) => x.id));
    },
    async counts() {
      const r = await db.query<{ state: string; delayed: boolean; n: string }>(
        `SELECT state, state = 'waiting' AND run_at > now() AS delayed, count(*) AS n FROM analysis_jobs GROUP BY 1, 2`,
      );
      const c: QueueCounts = { waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0 };
      for (const x of r.rows) {
        const k = x.delayed ? 'delayed' : (x.state as keyof QueueCounts);
        c[k] += Number(x.n);
      }
      return { database: c };
    },
    async healthy() {
      return { database: await db.query('SELECT 1').then(() => true, () => false) };
    },
    async close() {
      running = false;
      wakeAll();
      await Promise.all(loops);
    },
  };
}

/** Deletes finished jobs older than `maxAgeMs` so the table stays small. */
export async function pruneDatabaseJobs(db: Queryable, maxAgeMs: number): Promise<number> {
  const r = await db.query(
    `DELETE FROM analysis_jobs WHERE state IN ('completed', 'failed') AND finished_at < now() - make_interval(secs => $1::double precision / 1000)`,
    [maxAgeMs],
  );
  return r.rowCount;
}
