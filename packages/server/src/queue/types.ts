import type { Queryable } from '../db/types.js';

/** One LLM batch: the verdict keys (templates or messages) to analyse together. */
export interface AnalysisJob {
  id: string;
  keys: string[];
}

export interface JobContext {
  /** 1-based attempt number as the queue counts it (crashes included). */
  attempt: number;
}

export type JobHandler = (job: AnalysisJob, ctx: JobContext) => Promise<void>;

/**
 * Thrown by a handler to run the job again after `delayMs` without using up an attempt: the
 * provider is paused (circuit open, rate limited, not configured), the batch is not at fault.
 */
export class RetryLaterError extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
    this.name = 'RetryLaterError';
  }
}

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
}

export interface QueueOptions {
  /** Attempts before the queue gives up on a job (handlers park their work before that). */
  attempts: number;
  /** Attempt n waits n² × this before running again (the seed's 1, 4, 9 minutes). */
  retryBaseMs: number;
  /** How long a worker holds a job before another may take it over after a crash. */
  lockMs: number;
}

/** The analysis queue: BullMQ on Redis, a jobs table in the database, or Redis with the table as fallback. */
export interface JobQueue {
  readonly kind: 'redis' | 'database' | 'redis+database';
  /** Adds jobs; `tx` lets the database queue add them inside the caller's transaction. */
  add(jobs: AnalysisJob[], tx?: Queryable): Promise<void>;
  /** Starts consuming with `concurrency` jobs at a time. */
  process(handler: JobHandler, concurrency: number): void;
  /** Which of these job ids are still waiting, delayed or running somewhere. */
  live(ids: string[]): Promise<Set<string>>;
  counts(): Promise<Record<string, QueueCounts>>;
  /** Whether the backing store answers (Redis may be down while the database queue carries on). */
  healthy(): Promise<Record<string, boolean>>;
  /** Stops consuming (waits for running jobs) and closes connections. */
  close(): Promise<void>;
}

/** Backoff of the seed: attempt n waits n² units. */
export const retryDelay = (attemptsMade: number, baseMs: number): number => baseMs * attemptsMade * attemptsMade;
