import type { Queryable } from '../db/types.js';
import type { AnalysisJob, JobHandler, JobQueue } from './types.js';

/**
 * Redis first, the database when Redis does not answer (the seed's fallback): jobs that cannot
 * reach Redis go to the jobs table, both are consumed, and new jobs return to Redis once it is back.
 */
export function createResilientQueue(redis: JobQueue, database: JobQueue, onFallback: (err: unknown) => void): JobQueue {
  return {
    kind: 'redis+database',
    async add(jobs: AnalysisJob[], tx?: Queryable) {
      try {
        await redis.add(jobs);
      } catch (err) {
        onFallback(err);
        await database.add(jobs, tx);
      }
    },
    process(handler: JobHandler, concurrency: number) {
      redis.process(handler, concurrency);
      database.process(handler, concurrency);
    },
    async live(ids) {
      const fromDb = await database.live(ids);
      // Jobs held by an unreachable Redis count as lost: the reconciler schedules their work again
      // through the database, and the old jobs, if Redis returns, find nothing left to do.
      const fromRedis = await redis.live(ids).catch(() => new Set<string>());
      return new Set([...fromDb, ...fromRedis]);
    },
    async counts() {
      const db = await database.counts();
      const r = await redis.counts().catch(() => ({}));
      return { ...r, ...db };
    },
    async healthy() {
      return { ...(await redis.healthy()), ...(await database.healthy()) };
    },
    async close() {
      await Promise.all([redis.close(), database.close()]);
    },
  };
}
