import type {
  AiStatus as ServiceStatus,
  AnalysisVerdict,
  AnalyzeResult,
  DescribeIncidentRequest,
  DescribeIncidentResult,
  LogItemInput,
} from '@logsage/ai-service';

export type { DescribeIncidentRequest, DescribeIncidentResult } from '@logsage/ai-service';

// What the worker sends to, and gets from, the ai role: the ai-service's plain types (never the
// generated gRPC ones; failures arrive as its AnalysisCallError), plus whether the role answered.
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** A log sent to the ai role (a template representative). */
export type AiLogItem = LogItemInput;

/** The ai role's verdict on one log. */
export type AiVerdict = AnalysisVerdict;

/** What one AnalyzeLogs call returned, as far as the worker uses it. */
export type AiAnswer = Pick<AnalyzeResult, 'results' | 'model' | 'usage' | 'promptVersion' | 'llmCalls' | 'demo'>;

/** The ai role's status as the worker and the API use it; `circuitState` is "unknown" when it does not answer. */
export type AiStatus = Pick<ServiceStatus, 'configured' | 'reason' | 'provider' | 'model' | 'circuitRetryInMs' | 'lastError' | 'demo'> & {
  reachable: boolean;
  circuitState: string;
};

/** The ai role as the worker sees it (a gRPC client in production). */
export interface AiBackend {
  analyze(logs: AiLogItem[], opts: { requestId: string }): Promise<AiAnswer>;
  /** One incident's story (one LLM call); failures arrive as AnalysisCallError like analyze(). */
  describeIncident(req: DescribeIncidentRequest, opts: { requestId: string }): Promise<DescribeIncidentResult>;
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
  /** The `<*>` slots whose values decide a parameter-dependent verdict; empty: every value (absent in verdicts stored before). */
  key_params?: number[];
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
