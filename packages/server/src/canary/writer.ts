// Writes numbered entries at a steady rate through POST /api/v1/logs, resending each batch until the
// server answers it: refusals wait for Retry-After, failures a short backoff. Every entry carries an
// event id, so a resend after a lost answer is stored once.
import type { CanaryOptions } from './options.js';
import { send, sleep } from './http.js';
import type { Entry, Ledger } from './ledger.js';

interface IngestAnswer {
  accepted: number;
  duplicates: number;
  rejected: number;
  errors: { index: number }[];
}

const MAX_BATCH = 500;
const FAILURE_BACKOFF_MS = 500;
/** Without a Retry-After the canary still waits, so a refusing server is not hammered. */
const DEFAULT_RETRY_MS = 1000;
const MAX_RETRY_MS = 60_000;

/** The shipper's entry for one sequence number: event id and message name the run and the number. */
export function entryBody(o: CanaryOptions, e: Entry): Record<string, unknown> {
  return {
    event_id: e.eventId,
    timestamp: new Date(e.writtenAt).toISOString(),
    level: 'info',
    service: o.service,
    message: `canary ${o.runId} entry ${e.seq}`,
    canary_run: o.runId,
    canary_seq: e.seq,
  };
}

/** Produces entries on schedule and sends them, one request in flight; `stop` ends the production. */
export class Writer {
  private readonly queue: Entry[] = [];
  private made = 0;
  private producing = true;
  private startedAt = 0;

  constructor(private readonly o: CanaryOptions, private readonly ledger: Ledger, private readonly signal: AbortSignal) {}

  /** Entries created but not yet acknowledged. */
  get unacked(): number {
    return this.queue.length;
  }

  /** Stops creating entries; what is queued is still sent until `signal` aborts. */
  stop(): void {
    this.producing = false;
  }

  /** Runs until production stopped and the queue is empty, or the signal aborts. */
  async run(): Promise<void> {
    this.startedAt = Date.now();
    while (!this.signal.aborted && (this.producing || this.queue.length > 0)) {
      this.produce(Date.now());
      if (this.queue.length === 0) {
        await sleep(Math.min(50, 1000 / this.o.rate), this.signal);
        continue;
      }
      await this.sendBatch(this.queue.slice(0, MAX_BATCH));
    }
  }

  private produce(now: number): void {
    if (!this.producing) return;
    if (this.o.durationMs !== undefined && now - this.startedAt >= this.o.durationMs) return this.stop();
    const due = Math.floor(((now - this.startedAt) * this.o.rate) / 1000) + 1;
    for (; this.made < due; this.made++) {
      // Stamped with its scheduled time: a write held up by an outage shows in the latencies.
      const writtenAt = this.startedAt + Math.floor((this.made * 1000) / this.o.rate);
      const e: Entry = { seq: this.made, eventId: `canary-${this.o.runId}-${this.made}`, writtenAt, logIds: new Set() };
      this.ledger.written(e);
      this.queue.push(e);
    }
  }

  private async sendBatch(batch: Entry[]): Promise<void> {
    const body = JSON.stringify(batch.map((e) => entryBody(this.o, e)));
    const out = await send<IngestAnswer>(`${this.o.url}/api/v1/logs`, this.o.writeKey, this.o.requestTimeoutMs, { method: 'POST', body });
    if (out.kind === 'ok') return this.settle(batch, out.body);
    if (out.kind === 'refused') {
      this.ledger.refused('write', out.status, out.retryAfterMs !== undefined);
      await sleep(Math.min(MAX_RETRY_MS, out.retryAfterMs ?? DEFAULT_RETRY_MS), this.signal);
      return;
    }
    this.ledger.failed('write', out.reason);
    await sleep(FAILURE_BACKOFF_MS, this.signal);
  }

  private settle(batch: Entry[], answer: IngestAnswer): void {
    const bad = new Set((answer.errors ?? []).map((e) => e.index));
    this.queue.splice(0, batch.length);
    const now = Date.now();
    this.ledger.acked(batch.filter((_, i) => !bad.has(i)), now);
    if (bad.size > 0) this.ledger.rejected(batch.filter((_, i) => bad.has(i)));
  }
}
