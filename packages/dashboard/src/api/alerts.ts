import { get, request } from './http';
import type { Silence } from './silences';

// Silences have their own client; these names stay here for the alert views that import them.
export { createSilence, type Matcher, type Silence } from './silences';

export interface Alert {
  id: string;
  rule_id: string | null;
  rule_name: string;
  fingerprint: string;
  labels: Record<string, string>;
  state: 'firing' | 'resolved';
  severity: string;
  count: number;
  first_seen: string;
  last_seen: string;
  started_at: string;
  last_match_at: string;
  resolved_at: string | null;
  summary: string;
  root_cause: string;
  suggestion: string;
  sample_message: string | null;
  sample_log_id: string | null;
  demo: boolean;
  notifications: number;
  last_notified_at: string | null;
  silenced_by: string | null;
  acked_at: string | null;
  acked_by: string | null;
}

export interface AlertHistoryEntry {
  at: string;
  /** firing, notified, acked, silenced, unsilenced, resolved (new kinds may appear: show them as they come). */
  event: string;
  details: Record<string, unknown>;
}

/** An alert with its transitions, oldest first. */
export type AlertDetail = Alert & { history: AlertHistoryEntry[] };

export interface AlertQuery {
  state?: 'firing' | 'resolved';
  rule?: string;
  service?: string;
  severity?: string;
  from?: string;
  to?: string;
  before?: string;
  limit?: number;
}

/** Alerts, newest first; page with `before` = the last id of the previous page. */
export async function listAlerts(q: AlertQuery, signal?: AbortSignal): Promise<Alert[]> {
  return (await get<{ alerts: Alert[] }>('/api/v1/alerts', { ...q }, signal)).alerts;
}

/** One alert with its history. */
export function getAlert(id: string, signal?: AbortSignal): Promise<AlertDetail> {
  return get(`/api/v1/alerts/${encodeURIComponent(id)}`, undefined, signal);
}

/** Acknowledges an alert: no more reminders while nothing new arrives. */
export function ackAlert(id: string): Promise<Alert> {
  return request<Alert>('POST', `/api/v1/alerts/${encodeURIComponent(id)}/ack`, { body: {} });
}

/** Silences an alert's group (its rule and labels) for a while. */
export function silenceAlert(id: string, body: { duration_minutes: number; comment?: string }): Promise<Silence> {
  return request<Silence>('POST', `/api/v1/alerts/${encodeURIComponent(id)}/silence`, { body });
}
