/** What the worker sends to, and gets from, the ai role (plain types, independent of gRPC codegen). */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

export interface AiLogItem {
  id: string;
  timestamp: string;
  level: string;
  service: string;
  message: string;
  template: string;
  occurrences: number;
  attributes: Record<string, string>;
}

export interface AiVerdict {
  logId: string;
  isAnomaly: boolean;
  anomalyScore: number;
  severity: Severity;
  category: string;
  summary: string;
  rootCause: string;
  suggestion: string;
  confidence: number;
  parameterDependent: boolean;
}

export interface AiAnswer {
  results: AiVerdict[];
  model: string;
  usage: { promptTokens: number; completionTokens: number; reasoningTokens: number };
  promptVersion: string;
  llmCalls: number;
  demo: boolean;
}

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
