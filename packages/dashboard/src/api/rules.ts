import type { Channel } from './channels';
import { del, get, patch, post, seg } from './http';

export const RULE_SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export const RULE_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'unknown'] as const;
export const GROUP_LABELS = ['service', 'template', 'category', 'severity'] as const;
/** What a rule matches: analysis results (counted against a threshold), or incidents (one alert per incident). */
export const RULE_KINDS = ['result', 'incident'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];
/** The only conditions an incident rule may have (the others describe one analysed log; the server refuses them). */
export const INCIDENT_CONDITIONS = ['min_severity', 'services', 'service_pattern'] as const;

/** What a result must be for a rule to count it; every condition given must hold (server: alerting/schema.ts). */
export interface RuleConditions {
  min_severity?: string;
  /** true: anomalies only; false: non-anomalies only; absent: either. */
  anomaly?: boolean;
  categories?: string[];
  services?: string[];
  /** `*` any run, `?` one character, matched against the whole service name. */
  service_pattern?: string;
  levels?: string[];
  templates?: string[];
  text_contains?: string;
  /** RE2 syntax, matched in linear time (no backreferences or lookarounds). */
  text_regex?: string;
  /** Default true. */
  ignore_case?: boolean;
}

/** The body of POST /api/v1/rules and /rules/preview. Timings left null take the server's defaults. */
export interface RuleBody {
  /** Default 'result'. Incident rules ignore threshold and group_by. */
  kind?: RuleKind;
  name: string;
  description?: string;
  enabled?: boolean;
  conditions: RuleConditions;
  threshold?: { count: number; window_minutes: number };
  group_by?: string[];
  group_wait_seconds?: number | null;
  group_interval_seconds?: number | null;
  repeat_interval_seconds?: number | null;
  resolve_after_minutes?: number | null;
  notify_resolved?: boolean;
  channel_ids?: string[];
}

/** A stored rule as the API shows it (defaults filled). */
export interface Rule extends Required<RuleBody> {
  id: string;
  description: string;
  created_at: string;
  updated_at: string;
}

/** What POST /api/v1/rules/preview answers: the rule replayed over the last 24 hours. */
export interface RulePreview {
  from: string;
  to: string;
  /** Results matching the conditions. */
  matched: number;
  /** Alerts the rule would have raised. */
  alerts: number;
  /** The day held more candidates than the server reads: the counts are a lower bound. */
  truncated: boolean;
  /** At most 50, most alerts first. */
  groups: { labels: Record<string, string>; alerts: number; matches: number }[];
}

/** A notification channel as the rule editor needs it (the channels page has the full record). */
/** What the rule pages need of a channel (the channels client lists them). */
export type ChannelRef = Pick<Channel, 'id' | 'name' | 'type' | 'enabled'>;

/** Every rule, by name. */
export async function listRules(signal?: AbortSignal): Promise<Rule[]> {
  return (await get<{ rules: Rule[] }>('/api/v1/rules', undefined, signal)).rules;
}

/** One rule. */
export function getRule(id: string, signal?: AbortSignal): Promise<Rule> {
  return get<Rule>(`/api/v1/rules/${seg(id)}`, undefined, signal);
}

/** Creates a rule; answers the stored rule. */
export function createRule(body: RuleBody): Promise<Rule> {
  return post<Rule>('/api/v1/rules', body);
}

/** Replaces the given fields of a rule (a `conditions` object replaces all the conditions). */
export function updateRule(id: string, changes: Partial<RuleBody>): Promise<Rule> {
  return patch<Rule>(`/api/v1/rules/${seg(id)}`, changes);
}

/** Deletes a rule; its firing alerts resolve, their history stays. */
export function deleteRule(id: string): Promise<void> {
  return del(`/api/v1/rules/${seg(id)}`);
}

/** Turns a rule on or off. */
export function setRuleEnabled(id: string, enabled: boolean): Promise<Rule> {
  return post<Rule>(`/api/v1/rules/${seg(id)}/${enabled ? 'enable' : 'disable'}`);
}

/** How often a rule would have fired over the last 24 hours (nothing is stored). */
export function previewRule(body: RuleBody): Promise<RulePreview> {
  return post<RulePreview>('/api/v1/rules/preview', body);
}

/**
 * The notification channels, for naming and picking a rule's channels. Kept here so the rules
 * screens do not wait on the channels page's client; only the fields a rule needs are typed.
 */
