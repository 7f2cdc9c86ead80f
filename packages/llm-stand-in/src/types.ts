// Shared types of the stand-in: the analysis verdict, faults, recordings and the server handle.

/** Every fault kind the stand-in can inject, in the order the README documents them. */
export const FAULT_KINDS = [
  'rate_limit',
  'rate_limit_bare',
  'server_error',
  'unavailable',
  'hang',
  'slow',
  'malformed',
  'fenced',
  'think_inline',
  'think_unopened',
  'reasoning_content',
  'length',
  'length_below',
  'truncated',
  'missing_result',
  'bad_schema',
  'bad_key_params',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

/** One injected misbehaviour, applied to exactly one completion request. */
export interface Fault {
  kind: FaultKind;
  param?: number;
}

export type Language = 'zh-CN' | 'en';
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export type Category =
  | 'database'
  | 'network'
  | 'security'
  | 'performance'
  | 'resource'
  | 'application'
  | 'configuration'
  | 'hardware'
  | 'other';

/** The deterministic analysis of one log, as the model's JSON carries it (without the id). */
export interface Verdict {
  is_anomaly: boolean;
  anomaly_score: number;
  severity: Severity;
  category: Category;
  summary: string;
  root_cause: string;
  suggestion: string;
  confidence: number;
  parameter_dependent: boolean;
  /** When parameter_dependent: the `<*>` slots whose values decide the verdict (key-params.ts); [] = all. */
  key_params: number[];
}

/** The fields of a log the analysis reads. */
export interface LogInput {
  level: string;
  message: string;
  template?: string;
  service?: string;
}

/** A chat message as received; content stays as the client sent it. */
export interface ChatMessage {
  role: string;
  content?: unknown;
  [key: string]: unknown;
}

/** Which prompt a completion request carries: log analysis or an incident story. */
export type PromptKind = 'analysis' | 'incident';

/** One completion request as the stand-in saw it; the Authorization header is never kept. */
export interface RecordedRequest {
  at: string;
  /** Read from the system message (prompt.ts, promptKind). */
  prompt: PromptKind;
  model: string;
  maxTokens: number | null;
  messages: ChatMessage[];
  fault?: Fault;
  /** HTTP status answered; null while the request is still open or when it was never answered. */
  status: number | null;
}

export interface StandInStats {
  calls: number;
  /** Completion requests carrying the incident story prompt (also counted in calls). */
  incidentCalls: number;
  byStatus: Record<string, number>;
  promptTokens: number;
  completionTokens: number;
  reasoningTokens: number;
}

export interface StandInOptions {
  /** TCP port; 0 or unset picks a free one. */
  port?: number;
  /** Interface to listen on; 127.0.0.1 unless set. */
  host?: string;
  /** When set, completion and model requests must carry exactly this bearer key. */
  apiKey?: string;
  /** Delay before every completion answer, in milliseconds. */
  delayMs?: number;
  /** Model ids listed by GET /v1/models. */
  models?: string[];
}

export interface StandIn {
  /** http://HOST:PORT */
  url: string;
  /** url + '/v1', what an OpenAI client takes as its base URL. */
  baseUrl: string;
  queueFaults(faults: Fault[]): void;
  clearFaults(): void;
  setDelay(ms: number): void;
  stats(): StandInStats;
  requests(): RecordedRequest[];
  reset(): void;
  close(): Promise<void>;
}
