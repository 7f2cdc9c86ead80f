// Pure helpers of the alerts views: what the server will build (silence matchers), which logs
// belong to an alert, and how history details read as text. No Vue, so the tests call them directly.
import type { Alert, Matcher } from '../../api/alerts';
import type { LogQuery } from '../../api/logs';

/** The labels an alert is grouped by, in the order the views show them. */
export const GROUP_LABELS = ['service', 'template', 'category', 'severity'] as const;

/** Silence durations offered as presets, in minutes (1 h, 4 h, 1 d). */
export const DURATION_PRESETS = [60, 240, 1440] as const;

/** The longest silence the server accepts (366 days), in minutes. */
export const MAX_SILENCE_MINUTES = 366 * 1440;

/**
 * The matchers `POST /alerts/:id/silence` stores: the rule id and every label of the alert
 * (mirrors `silenceAlert` in the server's alerting service, so the dialog shows what will apply).
 */
export function silenceMatchers(a: Pick<Alert, 'rule_id' | 'labels'>): Matcher[] {
  return [{ name: 'rule_id', value: a.rule_id ?? '' }, ...Object.entries(a.labels).map(([name, value]) => ({ name, value }))];
}

/** Labels with the group labels first (service, template, category, severity), then the rest by name. */
export function orderedLabels(labels: Record<string, string>): [string, string][] {
  const rank = (k: string): number => {
    const i = (GROUP_LABELS as readonly string[]).indexOf(k);
    return i < 0 ? GROUP_LABELS.length : i;
  };
  return Object.entries(labels).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

/** An ISO time plus whole seconds (the logs range end is exclusive: last_seen itself must be in). */
function plusSeconds(iso: string, s: number): string {
  const t = new Date(iso).getTime();
  return Number.isNaN(t) ? iso : new Date(t + s * 1000).toISOString();
}

/** The logs of an alert's group: its service and template labels, first_seen up to last_seen + 1 s. */
export function groupLogsQuery(a: Pick<Alert, 'labels' | 'first_seen' | 'last_seen'>, limit = 20): LogQuery {
  const q: LogQuery = { from: a.first_seen, to: plusSeconds(a.last_seen, 1), limit };
  if (a.labels.service) q.service = [a.labels.service];
  if (a.labels.template) q.template = [a.labels.template];
  return q;
}

/** The Logs view's address showing the same logs as `groupLogsQuery`. */
export function logsLink(a: Pick<Alert, 'labels' | 'first_seen' | 'last_seen'>): { path: string; query: Record<string, string> } {
  const q = groupLogsQuery(a);
  const query: Record<string, string> = {};
  if (q.service?.[0]) query.service = q.service[0];
  if (q.template?.[0]) query.template = q.template[0];
  query.from = q.from ?? a.first_seen;
  query.to = q.to ?? a.last_seen;
  return { path: '/logs', query };
}

/** One history detail value as text: nested label maps read `k=v, k=v`, lists `a, b`. */
export function valueText(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (Array.isArray(v)) return v.map(valueText).join(', ');
  if (typeof v === 'object') return Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k}=${valueText(x)}`).join(', ');
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v) ?? '';
}

/** A history entry's details as ordered key/value text pairs. */
export function detailPairs(details: Record<string, unknown> | null | undefined): [string, string][] {
  return Object.entries(details ?? {}).map(([k, v]) => [k, valueText(v)]);
}

/** Element Plus tag type of an alert state. */
export const stateType = (s: string): 'danger' | 'success' => (s === 'firing' ? 'danger' : 'success');
