import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { retryDelay, RetryLaterError, type AnalysisJob, type JobHandler, type JobQueue, type QueueCounts, type QueueOptions } from './types.js';

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
    // A producer gives up on a command after one reconnect attempt (and our own timeouts are shorter
    // still), so the caller falls back to the database. The offline queue stays on: BullMQ sends its
    // first commands before the connection is up.
    maxRetriesPerRequest: producer ? 1 : null,
    retryStrategy: (times: number) => Math.min(times * 200, 5000),
  };
}

/** BullMQ on Redis. Retries use the seed's n² backoff; a RetryLaterError re-delays without an attempt. */
class RedisQueue implements JobQueue {
  readonly kind = 'redis' as const;
  private readonly queue: Queue;
  private readonly probe: Redis;
  private worker: Worker | undefined;

  constructor(
    private readonly opts: RedisQueueOptions,
    private readonly onError: (err: unknown) => void,
    onWarn: (msg: string) => void,
  ) {
    this.queue = new Queue(QUEUE_NAME, { connection: connection(opts.url, true), prefix: opts.prefix, skipWaitingForReady: true });
    this.queue.on('error', onError);
    // A plain client for health probes and the eviction check; BullMQ's own clients stay untouched.
    this.probe = new Redis(connection(opts.url, true));
    this.probe.on('error', () => undefined);
    this.probe.config('GET', 'maxmemory-policy').then(
      (r) => {
        const policy = Array.isArray(r) ? String(r[1]) : '';
        if (policy && policy !== 'noeviction') onWarn(`Redis maxmemory-policy is ${policy}: it may evict queued jobs; set it to noeviction (the reconciler reschedules lost work meanwhile)`);
      },
      () => undefined,
    );
  }

  async add(jobs: AnalysisJob[]): Promise<void> {
    if (jobs.length === 0) return;
    const bulk = jobs.map((j) => ({
      name: 'verdicts',
      data: { keys: j.keys },
      opts: { jobId: j.id, attempts: this.opts.attempts, backoff: { type: 'custom' }, removeOnComplete: { age: 3600, count: 10_000 }, removeOnFail: { age: 7 * 86_400 } },
    }));
    await withTimeout(this.queue.addBulk(bulk), this.opts.addTimeoutMs, 'adding analysis jobs');
  }

  process(handler: JobHandler, concurrency: number): void {
    const processor = async (job: Job<{ keys: string[] }>, token?: string): Promise<void> => {
      try {
        await handler({ id: job.id ?? '', keys: job.data.keys }, { attempt: job.attemptsMade + 1 });
      } catch (err) {
        if (!(err instanceof RetryLaterError)) throw err;
        // Paused, not failed: BullMQ keeps attemptsMade unchanged for a DelayedError.
        await job.moveToDelayed(Date.now() + err.delayMs, token);
        throw new DelayedError();
      }
    };
    this.worker = new Worker(QUEUE_NAME, processor, {
      connection: connection(this.opts.url, false),
      prefix: this.opts.prefix,
      concurrency,
      lockDuration: this.opts.lockMs,
      stalledInterval: Math.max(1000, Math.floor(this.opts.lockMs / 2)),
      maxStalledCount: 1,
      settings: { backoffStrategy: (attemptsMade: number) => retryDelay(attemptsMade, this.opts.retryBaseMs) },
    });
    this.worker.on('error', this.onError);
  }

  async live(ids: string[]): Promise<Set<string>> {
    const out = new Set<string>();
    const check = async (id: string): Promise<void> => {
      if (LIVE_STATES.has(await this.queue.getJobState(id))) out.add(id);
    };
    await withTimeout(Promise.all(ids.map(check)), this.opts.addTimeoutMs, 'reading job states');
    return out;
  }

  async counts(): Promise<Record<string, QueueCounts>> {
    const c = await withTimeout(this.queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'), this.opts.addTimeoutMs, 'counting jobs');
    const n = (k: string): number => c[k] ?? 0;
    return { redis: { waiting: n('waiting') + n('prioritized'), active: n('active'), delayed: n('delayed'), failed: n('failed'), completed: n('completed') } };
  }

  async healthy(): Promise<Record<string, boolean>> {
    return { redis: await withTimeout(this.probe.ping(), this.opts.addTimeoutMs, 'ping').then(() => true, () => false) };
  }

  async close(): Promise<void> {
    // Closing waits for running jobs and for Redis to acknowledge; Redis may be gone, so both are
    // bounded. An unfinished job's lock expires and another worker runs it (handlers are idempotent).
    const ok = await withTimeout(this.probe.ping(), 1000, 'ping').then(() => true, () => false);
    const worker = this.worker;
    if (worker) await withTimeout(worker.close(!ok), ok ? this.opts.lockMs : 1000, 'closing the worker').catch(() => worker.disconnect());
    await withTimeout(this.queue.close(), 1000, 'closing the queue').catch(() => this.queue.disconnect());
    this.probe.disconnect();
  }
}

/** BullMQ on Redis (see RedisQueue). */
export function createRedisQueue(opts: RedisQueueOptions, onError: (err: unknown) => void, onWarn: (msg: string) => void): JobQueue {
  return new RedisQueue(opts, onError, onWarn);
}
