import type { Db } from '../db/types.js';
import { createRedisQueue } from './bullmq.js';
import { createDatabaseQueue, pruneDatabaseJobs } from './database.js';
import { createResilientQueue } from './resilient.js';
import type { JobQueue, QueueOptions } from './types.js';

export { RetryLaterError, retryDelay, type AnalysisJob, type JobContext, type JobHandler, type JobQueue, type QueueCounts } from './types.js';
export { pruneDatabaseJobs };

export interface CreateQueueOptions extends QueueOptions {
  db: Db;
  /** Redis URL; undefined selects the database queue alone. */
  redisUrl: string | undefined;
  prefix: string;
  log: { warn: (obj: object, msg: string) => void; error: (obj: object, msg: string) => void };
}

/** The analysis queue for this configuration: Redis with the database as fallback, or the database alone. */
export function createQueue(o: CreateQueueOptions): JobQueue {
  const onError = (err: unknown): void => o.log.error({ err }, 'analysis queue error');
  const database = createDatabaseQueue(o.db, o, onError);
  if (!o.redisUrl) return database;
  let lastWarn = 0;
  const redis = createRedisQueue({ ...o, url: o.redisUrl, addTimeoutMs: 2000 }, (err) => {
    // ioredis reports every failed reconnect; one line a minute says enough.
    if (Date.now() - lastWarn < 60_000) return;
    lastWarn = Date.now();
    o.log.warn({ err }, 'Redis is unreachable; analysis continues through the database queue');
  }, (msg) => o.log.warn({}, msg));
  return createResilientQueue(redis, database, (err) => {
    if (Date.now() - lastWarn < 60_000) return;
    lastWarn = Date.now();
    o.log.warn({ err }, 'Redis is unreachable; analysis jobs go to the database queue until it returns');
  });
}
