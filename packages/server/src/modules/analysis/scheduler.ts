import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/types.js';
import type { AnalysisJob, JobQueue } from '../../queue/index.js';
import { lockOpenVerdicts, markScheduled } from './repo-verdicts.js';

/**
 * Cuts open verdicts into LLM batches: full batches at once, a partial one only after its oldest
 * key waited `maxWaitMs`. Returns the jobs it queued.
 */
export async function scheduleBatches(db: Db, queue: JobQueue, o: { batchSize: number; maxWaitMs: number; maxBatches: number }): Promise<number> {
  const inTx = queue.kind === 'database';
  const jobs = await db.transaction(async (tx) => {
    const open = await lockOpenVerdicts(tx, o.batchSize * o.maxBatches);
    const out: AnalysisJob[] = [];
    for (let i = 0; i < open.length; i += o.batchSize) {
      const chunk = open.slice(i, i + o.batchSize);
      const oldest = Math.max(...chunk.map((c) => c.waited_ms));
      if (chunk.length < o.batchSize && oldest < o.maxWaitMs) break;
      const job = { id: `an-${randomUUID()}`, keys: chunk.map((c) => c.key) };
      await markScheduled(tx, job.id, job.keys);
      out.push(job);
    }
    // The database queue takes the jobs in the same transaction: scheduled and queued, or neither.
    if (inTx) await queue.add(out, tx);
    return out;
  });
  // Redis is outside the transaction: if adding fails here, the reconciler reopens these verdicts.
  if (!inTx) await queue.add(jobs);
  return jobs.length;
}
