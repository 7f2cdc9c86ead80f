import type { AnalysisVerdict, AnalyzeResult, LogItemInput } from '@logsage/ai-service';

// What the worker sends to, and gets from, the ai role: the ai-service's plain types (never the
// generated gRPC ones), plus the worker's own view of the role's status and failures.
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** A log sent to the ai role (a template representative). */
export type AiLogItem = LogItemInput;

/** The ai role's verdict on one log. */
export type AiVerdict = AnalysisVerdict;

/** What one AnalyzeLogs call returned, as far as the worker uses it. */
export type AiAnswer = Pick<AnalyzeResult, 'results' | 'model' | 'usage' | 'promptVersion' | 'llmCalls' | 'demo'>;

export interface AiStatus {
  reachable: boolean;
  configured: boolean;
  reason: string;
  provider: string;
  model: string;
  circuitState: string;
  circuitRetryInMs: number;
  lastError: string;
  demo: boolean;
}

/** Why a call to the ai role failed, and whether the batch itself is at fault. */
export type AiErrorKind = 'not_configured' | 'unavailable' | 'rate_limited' | 'invalid' | 'internal' | 'deadline' | 'unauthenticated';

export class AiCallError extends Error {
  constructor(
    readonly kind: AiErrorKind,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'AiCallError';
  }
}

/** The ai role as the worker sees it (a gRPC client in production). */
export interface AiBackend {
  analyze(logs: AiLogItem[], opts: { requestId: string }): Promise<AiAnswer>;
  status(): Promise<AiStatus>;
}

/** A verdict as stored in `verdicts.result` (snake_case, like the LLM's own reply). */
export interface StoredVerdict {
  is_anomaly: boolean;
  anomaly_score: number;
  severity: Severity;
  category: string;
  summary: string;
  root_cause: string;
  suggestion: string;
  confidence: number;
  parameter_dependent: boolean;
  prompt_version: string;
}

export interface AnalysisSettings {
  batchSize: number;
  maxWaitMs: number;
  workers: number;
  attempts: number;
  retryBaseMs: number;
  verdictTtlS: number;
  staleMs: number;
  /** Pending logs assigned templates per pass. */
  assignBatch: number;
}
