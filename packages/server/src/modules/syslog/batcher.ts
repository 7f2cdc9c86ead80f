import { AppError, isTransientDbError } from '../../lib/errors.js';
import type { IngestService, SplitBody } from '../ingest/index.js';

export interface BatcherOptions {
  ingest: IngestService;
  /** Lines per ingest call. */
  maxLines: number;
  /** How long a line may wait for companions before its batch goes. */
  maxWaitMs: number;
  /** Called with true when the backlog is full (pause the source) and false when it has room again. */
  onBacklog: (full: boolean) => void;
  /** Lines held (waiting and in flight) at which onBacklog(true) fires. */
  backlogLines: number;
  /** A batch the database will never take (every line refused, or an unexpected error). */
  onDropped: (lines: number, err: unknown) => void;
}

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 5000;

/** True when a failed ingest should be retried as is: the database or ingestion is unavailable for now. */
export function isRetryable(err: unknown): boolean {
  return (err instanceof AppError && (err.code === 'unavailable' || err.code === 'rate_limited')) || isTransientDbError(err);
}

/**
 * Gathers parsed lines into batches for `ingest.ingest(…, 'syslog')`, one batch in flight at a time
 * so order is kept. A batch the database cannot take now is retried until it can: syslog has no
 * acknowledgement, so holding the lines (and pausing the sender through onBacklog) is how none are lost.
 */
export class SyslogBatcher {
  private waiting: unknown[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private full = false;
  private closing = false;

  constructor(private readonly opts: BatcherOptions) {}

  /** Lines held: waiting for a batch and in the batch in flight. */
  held = 0;

  add(entry: unknown): void {
    this.waiting.push(entry);
    this.held++;
    if (!this.full && this.held >= this.opts.backlogLines) this.setFull(true);
    if (this.waiting.length >= this.opts.maxLines) this.kick();
    else this.timer ??= setTimeout(() => this.kick(), this.opts.maxWaitMs);
  }

  /** Sends everything held, retrying transient failures until `deadline` (epoch ms). */
  async flush(deadline = Infinity): Promise<void> {
    this.closing = true;
    this.deadline = deadline;
    this.kick();
    while (this.running) await this.running;
  }

  private deadline = Infinity;

  private kick(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.running || this.waiting.length === 0) return;
    this.running = this.loop().finally(() => {
      this.running = undefined;
      if (this.waiting.length > 0 && (this.closing || this.waiting.length >= this.opts.maxLines)) this.kick();
      else if (this.waiting.length > 0) this.timer ??= setTimeout(() => this.kick(), this.opts.maxWaitMs);
    });
  }

  private async loop(): Promise<void> {
    const batch = this.waiting.splice(0, this.opts.maxLines);
    const body: SplitBody = { entries: batch.map((value, index) => ({ index, value })), rejections: [] };
    let wait = RETRY_MIN_MS;
    for (;;) {
      try {
        await this.opts.ingest.ingest(body, 'syslog');
        break;
      } catch (err) {
        if (!isRetryable(err) || Date.now() + wait > this.deadline) {
          this.opts.onDropped(batch.length, err);
          break;
        }
        await new Promise((r) => setTimeout(r, wait));
        wait = Math.min(wait * 2, RETRY_MAX_MS);
      }
    }
    this.held -= batch.length;
    if (this.full && this.held < this.opts.backlogLines / 2) this.setFull(false);
  }

  private setFull(full: boolean): void {
    this.full = full;
    this.opts.onBacklog(full);
  }
}
