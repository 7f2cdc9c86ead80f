import { get } from './http';

export interface Verdict {
  state: string;
  severity?: string;
  is_anomaly?: boolean;
  anomaly_score?: number;
  category?: string;
  summary?: string;
  root_cause?: string;
  suggestion?: string;
  confidence?: number;
  parameter_dependent?: boolean;
  prompt_version?: string;
  analysed_at: string | null;
  expires_at: string | null;
  model: string | null;
  demo: boolean;
}

export interface Sparkline {
  bucket_seconds: number;
  from: string;
  counts: number[];
}

export interface Template {
  id: string;
  template: string;
  sample: string;
  count: number;
  first_seen: string;
  last_seen: string;
  parameter_dependent: boolean;
  verdict: Verdict | null;
  sparkline?: Sparkline;
}

export interface TemplateQuery {
  order?: 'count' | 'last_seen';
  limit?: number;
  offset?: number;
  q?: string;
  sparkline?: boolean;
}

/** Templates with their verdicts (and hourly sparklines over 24 h when asked). */
export function listTemplates(q: TemplateQuery, signal?: AbortSignal): Promise<{ templates: Template[]; total: number }> {
  return get('/api/v1/templates', { ...q }, signal);
}

/** One template with its verdict; with `sparkline: true`, its lines per hour over 24 h as well. */
export function getTemplate(id: string, opts: { sparkline?: boolean } = {}, signal?: AbortSignal): Promise<Template> {
  return get<Template>(`/api/v1/templates/${encodeURIComponent(id)}`, opts.sparkline ? { sparkline: true } : undefined, signal);
}

export interface AnalysisSummary {
  from: string;
  to: string;
  bucket_seconds: number;
  total: number;
  anomalies: number;
  by_severity: { key: string; count: number }[];
  by_category: { key: string; count: number }[];
  trend: { time: string; total: number; anomalies: number }[];
}

/** Severity and category distributions of analyses, and the anomaly trend. */
export function analysisSummary(q: { from?: string; to?: string; bucket?: number }, signal?: AbortSignal): Promise<AnalysisSummary> {
  return get<AnalysisSummary>('/api/v1/analysis/summary', q, signal);
}

export interface AnalysisStatus {
  /** reason_code: why analysis waits (provider, circuit, budget), null while it runs. */
  analysis: { state: 'running' | 'waiting'; reason: string | null; reason_code?: 'provider' | 'circuit' | 'budget' | null; queue: string };
  llm: {
    reachable: boolean;
    configured: boolean;
    provider: string | null;
    model: string | null;
    circuit: string;
    circuit_retry_in_ms: number;
    last_error: string | null;
    demo: boolean;
  };
  backlog: {
    pending_logs: number;
    unassigned_logs: number;
    open: number;
    scheduled: number;
    parked: number;
    done: number;
    oldest_pending_at: string | null;
  };
  usage_today: { calls: number; prompt_tokens: number; completion_tokens: number; reasoning_tokens: number; cost?: Record<string, number> };
  /** Today's usage against the daily budgets (absent from servers without budgets). */
  budget?: LlmBudget;
  /** The read replica (DATABASE_READ_URL) the read API uses; null without one. */
  replica?: ReplicaStatus | null;
}

/** How the read replica answers: standby, and how far behind the primary its data is. */
export interface ReplicaStatus {
  reachable: boolean;
  standby: boolean | null;
  lag_seconds: number | null;
  last_replay: string | null;
  error: string | null;
}

/** Today's (UTC) LLM tokens and cost against LLM_DAILY_TOKEN_BUDGET and LLM_DAILY_COST_BUDGET; null limits: none set. */
export interface LlmBudget {
  day: string;
  tokens: { used: number; limit: number | null; remaining: number | null };
  cost: { used: Record<string, number>; unpriced_models: string[]; limit: number | null; currency: string | null; remaining: number | null };
  reached: 'tokens' | 'cost' | null;
  resumes_at: string | null;
}

/** Provider, circuit, backlog and today's LLM usage. */
export function analysisStatus(signal?: AbortSignal): Promise<AnalysisStatus> {
  return get<AnalysisStatus>('/api/v1/status', undefined, signal);
}
