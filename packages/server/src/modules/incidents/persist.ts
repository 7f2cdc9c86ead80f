import type { IncidentUpdate } from '../alerting/index.js';
import type { Queryable } from '../../db/types.js';
import { addHistory, incidentStory, saveIncident, saveSignals, type StoredStory } from './repo-state.js';
import { incidentTitle, type TitleLanguage } from './title.js';
import type { ActiveSignal, GroupingState, GroupingStep, IncidentState } from './types.js';

// Writes what one evaluated minute changed: incidents (opened, grown, resolved, story due), their
// signals, history entries, and one alerting update per changed incident, in the caller's transaction.

/** An incident change as alerting takes it (the alerting face's own type, so the two never drift). */
export type IncidentAlertUpdate = IncidentUpdate;

export type AlertIncident = (tx: Queryable, update: IncidentAlertUpdate, nowMs: number) => Promise<unknown>;

export interface MinuteOutcome {
  opened: string[];
  grew: string[];
  resolved: string[];
  storiesDue: string[];
}

/** Persists one grouping step for the minute starting at `minuteMs`. */
export async function persistStep(tx: Queryable, before: GroupingState, step: GroupingStep, minuteMs: number, nowMs: number, alert: AlertIncident, language: TitleLanguage = 'en'): Promise<MinuteOutcome> {
  const atMs = minuteMs + 60_000;
  const changedSignals = [...step.startedSignals, ...step.updatedSignals, ...step.endedSignals];
  const signals = new Map<string, ActiveSignal>(before.signals.map((s) => [s.id, s]));
  for (const s of [...step.state.signals, ...changedSignals]) signals.set(s.id, s);

  // The latest state of every incident this minute touched: still open (in the new state) or resolved now.
  const incidents = new Map<string, IncidentState>();
  for (const c of step.changes) incidents.set(c.incident.id, c.incident);
  const touched = new Set([...incidents.keys(), ...changedSignals.map((s) => s.incidentId)]);
  for (const i of step.state.incidents) if (touched.has(i.id)) incidents.set(i.id, i);

  const out: MinuteOutcome = { opened: [], grew: [], resolved: [], storiesDue: [] };
  for (const c of step.changes) {
    if (c.type === 'opened') out.opened.push(c.incident.id);
    else if (c.type === 'grew') out.grew.push(c.incident.id);
    else if (c.type === 'resolved') out.resolved.push(c.incident.id);
    else out.storiesDue.push(c.incident.id);
  }
  // Incidents before signals: a signal row names its incident.
  for (const i of incidents.values()) {
    const own = [...signals.values()].filter((s) => s.incidentId === i.id);
    await saveIncident(tx, { incident: i, title: incidentTitle(own, i.services, language), storyDue: out.storiesDue.includes(i.id), atMs });
  }
  await saveSignals(tx, changedSignals);
  await writeHistory(tx, step, atMs);

  const alerted = new Set([...out.opened, ...out.grew, ...out.resolved]);
  for (const id of alerted) {
    const i = incidents.get(id);
    if (i) await alert(tx, await alertUpdate(tx, i), nowMs);
  }
  return out;
}

async function writeHistory(tx: Queryable, step: GroupingStep, atMs: number): Promise<void> {
  for (const c of step.changes) {
    const i = c.incident;
    if (c.type === 'opened') await addHistory(tx, i.id, atMs, 'opened', { services: i.services, signal_count: i.signalCount, severity: i.severity });
    else if (c.type === 'grew') await addHistory(tx, i.id, atMs, 'grew', { signal_ids: c.signalIds, services: i.services, signal_count: i.signalCount, severity: i.severity });
    else if (c.type === 'resolved') await addHistory(tx, i.id, atMs, 'resolved', { signal_count: i.signalCount, last_signal_at: new Date(i.lastSignalMs).toISOString() });
  }
}

/** The incident as alerting sees it: its stored title, and the story's cause and next steps once written. */
async function alertUpdate(tx: Queryable, i: IncidentState): Promise<IncidentAlertUpdate> {
  const stored = await incidentStory(tx, i.id);
  return { ...baseUpdate(i, stored?.title ?? ''), ...storyFields(stored?.story ?? null) };
}

/** The fields every update carries. */
export function baseUpdate(i: Pick<IncidentState, 'id' | 'resolvedMs' | 'severity' | 'services' | 'signalCount' | 'openedMs' | 'lastSignalMs'>, title: string): IncidentAlertUpdate {
  return {
    incidentId: i.id, state: i.resolvedMs === null ? 'open' : 'resolved', severity: i.severity, title,
    services: i.services, signalCount: i.signalCount, openedMs: i.openedMs, lastSignalMs: i.lastSignalMs,
  };
}

/** What a written story adds to an update. */
export function storyFields(s: StoredStory | null): Partial<IncidentAlertUpdate> {
  return s ? { firstCause: s.first_cause, nextSteps: s.next_steps, demo: s.demo } : {};
}
