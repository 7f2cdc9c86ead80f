// The one domain error of the ai role. The gRPC layer maps `code` to a status code; the analyzer
// never knows about gRPC.
import type { TokenUsageTotals } from './types.js';

export type AnalysisErrorCode =
  | 'not_configured'
  | 'unavailable'
  | 'rate_limited'
  | 'invalid'
  | 'internal'
  | 'deadline'
  | 'unauthenticated';

/**
 * What a failed analysis or story had already spent at the provider before it gave up: the
 * provider bills an answer that was invalid or cut just like a good one, so the daily budget must
 * see it too.
 */
export interface SpentUsage {
  usage: TokenUsageTotals;
  /** Requests sent to the provider, rejected ones included. */
  llmCalls: number;
  model: string;
}

/** A failure of an analysis with a stable code and, for transient ones, when to come back. */
export class AnalysisError extends Error {
  override readonly name = 'AnalysisError';
  readonly usage?: TokenUsageTotals;
  readonly llmCalls?: number;
  readonly model?: string;

  constructor(
    readonly code: AnalysisErrorCode,
    message: string,
    readonly retryAfterMs?: number,
    spent?: SpentUsage,
  ) {
    super(message);
    if (spent) {
      this.usage = spent.usage;
      this.llmCalls = spent.llmCalls;
      this.model = spent.model;
    }
  }
}

/** A failed call to the ai role as the gRPC client reports it, with what it spent when the role said. */
export class AnalysisCallError extends Error {
  override readonly name = 'AnalysisCallError';
  /** True when a later attempt of the same request may succeed. */
  readonly retryable: boolean;
  /** Tokens the provider billed for the failed call (absent when the ai role never said). */
  readonly usage?: TokenUsageTotals;
  /** Requests the ai role sent to the provider for the failed call. */
  readonly llmCalls?: number;
  readonly model?: string;

  constructor(
    readonly code: AnalysisErrorCode,
    message: string,
    readonly retryAfterMs?: number,
    spent?: SpentUsage,
  ) {
    super(message);
    this.retryable = code === 'unavailable' || code === 'rate_limited' || code === 'deadline' || code === 'internal';
    if (spent) {
      this.usage = spent.usage;
      this.llmCalls = spent.llmCalls;
      this.model = spent.model;
    }
  }
}

/** `err` as an AnalysisError (anything else reads as 'internal') carrying what the call spent. */
export function withSpent(err: unknown, spent: SpentUsage): AnalysisError {
  const e = err instanceof AnalysisError ? err : new AnalysisError('internal', err instanceof Error ? err.message : String(err));
  if (spent.llmCalls === 0) return e;
  const out = new AnalysisError(e.code, e.message, e.retryAfterMs, spent);
  if (e.stack) out.stack = e.stack;
  return out;
}
