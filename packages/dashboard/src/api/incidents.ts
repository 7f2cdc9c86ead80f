import { get, seg } from './http';

// Incidents: what the detector found changing in the logs (new templates, rate spikes and drops, error
// share), grouped per outage, with the model's story of it. The shapes mirror GET /api/v1/incidents.

export type IncidentState = 'open' | 'resolved';
export type IncidentSeverity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export type StoryState = 'none' | 'due' | 'written' | 'failed';
export type SignalKind = 'new_template' | 'rate_spike' | 'rate_drop' | 'error_share';
export type IncidentEvent = 'opened' | 'grew' | 'story' | 'story_failed' | 'resolved';

/** One incident as the list shows it. */
export interface IncidentSummary {
  id: string;
  state: IncidentState;
  severity: IncidentSeverity;
  /** The story's title, or one generated from the signals ("New error template in payment-api"). */
  title: string;
  services: string[];
  template_ids: string[];
  signal_count: number;
  opened_at: string;
  updated_at: string;
  last_signal_at: string;
  resolved_at: string | null;
  story_state: StoryState;
}

/** The model's account of an incident. */
export interface IncidentStory {
  title: string;
  summary: string;
  timeline: { at: string; text: string }[];
  first_cause: string;
  affected_services: string[];
  next_steps: string[];
  severity: IncidentSeverity;
  /** 0 to 1. */
  confidence: number;
  model: string;
  written_at: string;
}

/** One change the detector saw; a continuing one is one signal until it ends. */
export interface IncidentSignal {
  id: string;
  kind: SignalKind;
  service: string;
  /** null for error_share (service-wide). */
  template_id: string | null;
  template: string;
  severity: IncidentSeverity;
  started_at: string;
  last_at: string;
  ended_at: string | null;
  /** Lines in the detector's window, and what the baseline expected there. */
  observed: number;
  expected: number;
  /** The baseline in words ("same hour on 5 previous days"). */
  baseline: string;
}

/** One template's lines per minute around the incident (zeros filled), for the timeline chart. */
export interface IncidentTemplateSeries {
  id: string;
  template: string;
  service: string;
  series: { minute: string; count: number }[];
}

export interface IncidentSample {
  log_id: string;
  ts: string;
  service: string;
  level: string;
  message: string;
}

export interface IncidentHistoryEntry {
  at: string;
  event: IncidentEvent;
  detail: Record<string, unknown>;
}

/** One incident with its story, signals, per-minute series, sample logs and history. */
export type IncidentDetail = IncidentSummary & {
  story: IncidentStory | null;
  signals: IncidentSignal[];
  templates: IncidentTemplateSeries[];
  samples: IncidentSample[];
  history: IncidentHistoryEntry[];
};

export interface IncidentQuery {
  state?: IncidentState | 'all';
  service?: string;
  /** 1..200 (server default 50). */
  limit?: number;
  /** The `next` of the previous page. */
  before?: string;
}

export interface IncidentPage {
  incidents: IncidentSummary[];
  next: string | null;
}

/** What GET /api/v1/status says of incidents (absent on servers without them). */
export interface IncidentStatus {
  incidents?: { open: number };
}

/** Incidents, newest updated first; page on with `before` = the previous page's `next`. */
export function listIncidents(q: IncidentQuery, signal?: AbortSignal): Promise<IncidentPage> {
  return get<IncidentPage>('/api/v1/incidents', { ...q }, signal);
}

/** One incident with everything its page shows; 404 when unknown. */
export function getIncident(id: string, signal?: AbortSignal): Promise<IncidentDetail> {
  return get<IncidentDetail>(`/api/v1/incidents/${seg(id)}`, undefined, signal);
}
