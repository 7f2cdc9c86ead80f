// Small readings of an incident shared by its views: tag colours, durations, how far a signal is off.
import type { IncidentState, StoryState } from '../../api/incidents';

/** Element Plus tag type of an incident state. */
export const incidentStateType = (s: IncidentState): 'danger' | 'success' => (s === 'open' ? 'danger' : 'success');

/** Element Plus tag type of a story state: pending is a wait, failed a warning, none plain. */
export function storyStateType(s: StoryState): 'success' | 'warning' | 'info' | 'primary' {
  if (s === 'written') return 'success';
  if (s === 'failed') return 'warning';
  if (s === 'due') return 'primary';
  return 'info';
}

/** Whole minutes from `from` to `to` (now when null), never negative. */
export function minutesBetween(from: string, to: string | null, now = Date.now()): number {
  const end = to ? Date.parse(to) : now;
  return Math.max(0, Math.round((end - Date.parse(from)) / 60_000));
}

/** How many times the expected count the observed one is ("×28", "×0.1"); null when nothing was expected. */
export function ratio(observed: number, expected: number): string | null {
  if (!(expected > 0)) return null;
  const r = observed / expected;
  return r >= 10 ? String(Math.round(r)) : String(Math.round(r * 10) / 10);
}

/** A history detail value as text: lists joined, objects as JSON. */
export function detailText(v: unknown): string {
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', ');
  if (v && typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
