// Plain TypeScript types at the package boundary (in-process analyzer and gRPC client alike), so
// callers never handle generated protobuf types.
import type { CircuitState } from './llm/breaker.js';
import type { Language } from './options.js';
import type { SeverityName } from './prompts/schema.js';

export type { CircuitState } from './llm/breaker.js';
export type { Language } from './options.js';
export type { SeverityName } from './prompts/schema.js';

/** One log to analyse: a template representative. */
export interface LogItemInput {
  id: string;
  timestamp?: string;
  level?: string;
  service?: string;
  message: string;
  /** Drain template (`<*>` marks variable parts), when known. */
  template?: string;
  occurrences?: number;
  attributes?: Record<string, string>;
}

export interface AnalyzeRequest {
  logs: LogItemInput[];
  /** Empty or undefined: the service's default language. */
  language?: Language | '';
  requestId?: string;
}

export interface AnalysisVerdict {
  logId: string;
  isAnomaly: boolean;
  anomalyScore: number;
  severity: SeverityName;
  category: string;
  summary: string;
  rootCause: string;
  suggestion: string;
  confidence: number;
  parameterDependent: boolean;
  /**
   * When parameterDependent: the 0-based `<*>` slots of the template whose values decide the
   * verdict, so one verdict serves every line with the same values there. Empty: every value
   * matters (one verdict per message).
   */
  keyParams: number[];
}

export interface TokenUsageTotals {
  promptTokens: number;
  completionTokens: number;
  reasoningTokens: number;
}

export interface AnalyzeResult {
  results: AnalysisVerdict[];
  /** 'partial': some ids have no result (listed in `missing`); retry those. */
  status: 'ok' | 'partial';
  missing: string[];
  model: string;
  usage: TokenUsageTotals;
  promptVersion: string;
  llmCalls: number;
  /** Repair round trips plus results whose invalid key_params were replaced by "every value matters". */
  repairs: number;
  demo: boolean;
}

export interface AiStatus {
  configured: boolean;
  reason: string;
  provider: string;
  model: string;
  baseUrl: string;
  circuitState: CircuitState;
  circuitRetryInMs: number;
  requestsTotal: number;
  failuresTotal: number;
  usageTotal: TokenUsageTotals;
  lastError: string;
  demo: boolean;
}
