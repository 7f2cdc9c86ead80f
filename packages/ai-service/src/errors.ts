// The one domain error of the ai role. The gRPC layer maps `code` to a status code; the analyzer
// never knows about gRPC.

export type AnalysisErrorCode =
  | 'not_configured'
  | 'unavailable'
  | 'rate_limited'
  | 'invalid'
  | 'internal'
  | 'deadline'
  | 'unauthenticated';

/** A failure of an analysis with a stable code and, for transient ones, when to come back. */
export class AnalysisError extends Error {
  override readonly name = 'AnalysisError';

  constructor(
    readonly code: AnalysisErrorCode,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** A failed call to the ai role as the gRPC client reports it. */
export class AnalysisCallError extends Error {
  override readonly name = 'AnalysisCallError';
  /** True when a later attempt of the same request may succeed. */
  readonly retryable: boolean;

  constructor(
    readonly code: AnalysisErrorCode,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.retryable = code === 'unavailable' || code === 'rate_limited' || code === 'deadline' || code === 'internal';
  }
}
