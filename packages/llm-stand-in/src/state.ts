// The stand-in's mutable state: fault queue, global delay, statistics and recorded requests.
import type { Fault, RecordedRequest, StandInStats } from './types.js';
import type { Usage } from './reply.js';

const emptyStats = (): StandInStats => ({ calls: 0, incidentCalls: 0, byStatus: {}, promptTokens: 0, completionTokens: 0, reasoningTokens: 0 });

/** Everything a test can script or inspect, shared by the HTTP control API and the handle. */
export class StandInState {
  private faults: Fault[] = [];
  private recorded: RecordedRequest[] = [];
  // Entries recorded since the last reset; a request still in flight across a reset must not
  // count into the fresh statistics.
  private live = new WeakSet<RecordedRequest>();
  private counters: StandInStats = emptyStats();
  private sequence = 0;
  delayMs: number;

  constructor(delayMs = 0) {
    this.delayMs = delayMs;
  }

  /** Appends faults to the FIFO queue; returns the queue length. */
  queueFaults(faults: readonly Fault[]): number {
    this.faults.push(...faults.map((f) => ({ ...f })));
    return this.faults.length;
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** Takes the oldest queued fault, if any. */
  nextFault(): Fault | undefined {
    return this.faults.shift();
  }

  queuedFaults(): number {
    return this.faults.length;
  }

  /** Records a completion request as it arrives; its status is filled in by finish(). */
  begin(entry: Omit<RecordedRequest, 'status'>): RecordedRequest {
    const recorded: RecordedRequest = { ...entry, status: null };
    this.recorded.push(recorded);
    this.live.add(recorded);
    this.counters.calls += 1;
    if (recorded.prompt === 'incident') this.counters.incidentCalls += 1;
    return recorded;
  }

  /** Marks a recorded request as answered with status, adding a successful answer's tokens. */
  finish(entry: RecordedRequest, status: number, usage?: Usage): void {
    entry.status = status;
    if (!this.live.has(entry)) return;
    const key = String(status);
    this.counters.byStatus[key] = (this.counters.byStatus[key] ?? 0) + 1;
    if (!usage) return;
    this.counters.promptTokens += usage.prompt_tokens;
    this.counters.completionTokens += usage.completion_tokens;
    this.counters.reasoningTokens += usage.completion_tokens_details?.reasoning_tokens ?? 0;
  }

  /** A fresh completion id, unique within this server. */
  nextCompletionId(): string {
    this.sequence += 1;
    return `chatcmpl-stand-in-${this.sequence}`;
  }

  /** A copy of the counters, so callers cannot change the live ones. */
  stats(): StandInStats {
    return { ...this.counters, byStatus: { ...this.counters.byStatus } };
  }

  /** Copies of the recordings, oldest first. */
  requests(): RecordedRequest[] {
    return this.recorded.map((r) => structuredClone(r));
  }

  /** Clears statistics, recordings, queued faults and the delay. */
  reset(): void {
    this.faults = [];
    this.recorded = [];
    this.live = new WeakSet();
    this.counters = emptyStats();
    this.delayMs = 0;
  }
}
