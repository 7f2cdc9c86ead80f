import type { Db } from '../../db/types.js';
import { pruneDatabaseJobs, type JobQueue } from '../../queue/index.js';
import { doneKeysWithWaiters, reopen, staleScheduled, unkeyOrphans } from './repo-reconcile.js';
import { resolveKeys } from './repo-verdicts.js';

export interface ReconcileOutcome {
  reopened: number;
  resolved: number;
  unkeyed: number;
}

/**
 * One reconciler pass: verdicts scheduled long ago whose job is not live anywhere are reopened (so
 * losing Redis loses no analysis), stragglers of finished verdicts get their results, and orphaned
 * pending logs are assigned again.
 */
export async function reconcile(db: Db, queue: JobQueue, o: { staleMs: number }): Promise<ReconcileOutcome> {
  const stale = await staleScheduled(db, o.staleMs, 2000);
  const live = await queue.live([...new Set(stale.map((s) => s.job_id))]);
  const reopened = await reopen(db, stale.filter((s) => !live.has(s.job_id)).map((s) => s.key));
  const done = await doneKeysWithWaiters(db, 500);
  const resolved = done.length > 0 ? await db.transaction((tx) => resolveKeys(tx, done)) : 0;
  const unkeyed = await unkeyOrphans(db);
  await pruneDatabaseJobs(db, 3_600_000);
  return { reopened, resolved, unkeyed };
}
