import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { retryDelay, RetryLaterError, type AnalysisJob, type JobHandler, type JobQueue, type QueueOptions } from './types.js';

export interface RedisQueueOptions extends QueueOptions {
  url: string;
  /** Key prefix; tests give every run its own. */
  prefix: string;
  /** How long an `add` may wait for Redis before the caller falls back to the database. */
  addTimeoutMs: number;
}

const QUEUE_NAME = 'analysis';
const LIVE_STATES = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what}: Redis did not answer within ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e: unknown) => (clearTimeout(t), reject(e instanceof Error ? e : new Error(String(e)))),
    );
  });

/** Connection options for ioredis: fail fast on the producer side, wait forever on the worker side. */
function connection(url: string, producer: boolean): Record<string, unknown> {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : undefined,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    // A producer must not queue commands while Redis is away: the caller falls back to the database.
    enableOfflineQueue: !producer,
    maxRetriesPerRequest: producer ? 1 : null,
    retryStrategy: (times: number) => Math.min(times * 200, 5000),
  };
}

/** BullMQ on Redis. Retries use the seed's n² backoff; a RetryLaterError re-delays without an attempt. */
export function createRedisQueue(opts: RedisQueueOptions, onError: (err: unknown) => void, onWarn: (msg: string) => void): JobQueue {
  const queue = new Queue(QUEUE_NAME, { connection: connection(opts.url, true), prefix: opts.prefix, skipWaitingForReady: true });
  queue.on('error', onError);
  // A plain client for health probes and the eviction check; BullMQ's own clients stay untouched.
  const probe = new Redis(connection(opts.url, true));
  probe.on('error', () => undefined);
  probe.config('GET', 'maxmemory-policy').then(
    (r) => {
      const policy = Array.isArray(r) ? String(r[1]) : '';
      if (policy && policy !== 'noeviction') onWarn(`Redis maxmemory-policy is ${policy}: it may evict queued jobs; set it to noeviction (the reconciler reschedules lost work meanwhile)`);
    },
    () => undefined,
  );
  let worker: Worker | undefined;

  return {
    kind: 'redis',
    async add(jobs: AnalysisJob[]) {
      if (jobs.length === 0) return;
      await withTimeout(
        queue.addBulk(
          jobs.map((j) => ({
            name: 'verdicts',
            data: { keys: j.keys },
            opts: {
              jobId: j.id,
              attempts: opts.attempts,
              backoff: { type: 'custom' },
              removeOnComplete: { age: 3600, count: 10_000 },
              removeOnFail: { age: 7 * 86_400 },
            },
          })),
        ),
        opts.addTimeoutMs,
        'adding analysis jobs',
      );
    },
    process(handler: JobHandler, concurrency: number) {
      worker = new Worker(
        QUEUE_NAME,
        async (job: Job<{ keys: string[] }>, token?: string) => {
          try {
            await handler({ id: job.id ?? '', keys: job.data.keys }, { attempt: job.attemptsMade + 1 });
          } catch (err) {
            if (!(err instanceof RetryLaterError)) throw err;
            // Paused, not failed: BullMQ keeps attemptsMade unchanged for a DelayedError.
            await job.moveToDelayed(Date.now() + err.delayMs, token);
            throw new DelayedError();
          }
        },
        {
          connection: connection(opts.url, false),
          prefix: opts.prefix,
          concurrency,
          lockDuration: opts.lockMs,
          stalledInterval: Math.max(1000, Math.floor(opts.lockMs / 2)),
          maxStalledCount: 1,
          settings: { backoffStrategy: (attemptsMade: number) => retryDelay(attemptsMade, opts.retryBaseMs) },
        },
      );
      worker.on('error', onError);
    },
    async live(ids) {
      const out = new Set<string>();
      await withTimeout(
        Promise.all(
          ids.map(async (id) => {
            const state = await queue.getJobState(id);
            if (LIVE_STATES.has(state)) out.add(id);
          }),
        ),
        opts.addTimeoutMs,
        'reading job states',
      );
      return out;
    },
    async counts() {
      const c = await withTimeout(queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'), opts.addTimeoutMs, 'counting jobs');
      return {
        redis: {
          waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
          active: c.active ?? 0,
          delayed: c.delayed ?? 0,
          failed: c.failed ?? 0,
          completed: c.completed ?? 0,
        },
      };
    },
    async healthy() {
      const ok = await withTimeout(probe.ping(), opts.addTimeoutMs, 'ping').then(() => true, () => false);
      return { redis: ok };
    },
    async close() {
      await worker?.close();
      await queue.close();
      probe.disconnect();
    },
  };
}
