import { get } from './http';

export interface Analysis {
  source: 'llm' | 'template';
  is_anomaly: boolean;
  anomaly_score: number;
  severity: string;
  category: string;
  summary: string;
  root_cause: string;
  suggestion: string;
  confidence: number;
  template_id: string | null;
  model: string;
  prompt_version: string;
  demo: boolean;
  analysed_at: string;
}

export interface LogEntry {
  id: string;
  timestamp: string;
  received_at: string;
  level: string;
  service: string;
  message: string;
  attributes: Record<string, unknown>;
  event_id: string | null;
  analysis: Analysis | null;
  analysis_status: 'done' | 'pending' | 'skipped';
}

export interface LogQuery {
  from?: string;
  to?: string;
  service?: string[];
  level?: string[];
  severity?: string[];
  anomaly?: boolean;
  /** Template ids: the logs analysed as lines of these templates (the analysis's template_id). */
  template?: string[];
  /** Full-text search: words, "phrases", -exclusions. */
  q?: string;
  cursor?: string;
  limit?: number;
  order?: 'asc' | 'desc';
}

export interface LogPage {
  logs: LogEntry[];
  next_cursor: string | null;
}

/** One page of logs, newest first unless `order: 'asc'`. */
export function listLogs(q: LogQuery, signal?: AbortSignal): Promise<LogPage> {
  return get<LogPage>('/api/v1/logs', { ...q }, signal);
}

/** One log with its analysis. */
export function getLog(id: string, signal?: AbortSignal): Promise<LogEntry> {
  return get<LogEntry>(`/api/v1/logs/${encodeURIComponent(id)}`, undefined, signal);
}

export interface Service {
  name: string;
  first_seen: string;
  last_seen: string;
}

/** Services that sent logs within the retention window. */
export async function listServices(signal?: AbortSignal): Promise<Service[]> {
  return (await get<{ services: Service[] }>('/api/v1/services', undefined, signal)).services;
}
