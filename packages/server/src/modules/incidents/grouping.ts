// The incident grouping: folds each minute's signal observations into tracked signals and the
// incidents they belong to. Pure: the caller passes the state it persisted, the minute, and an id
// maker, and persists the state and changes it gets back (plain objects, JSON as they are).
import type {
  ActiveSignal, GroupingOptions, GroupingState, GroupingStep, IncidentChange, IncidentSeverity, IncidentState, SignalObservation,
} from './types.js';

const MINUTE = 60_000;
const RANK: Record<IncidentSeverity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

const higher = (a: IncidentSeverity, b: IncidentSeverity): IncidentSeverity => (RANK[b] > RANK[a] ? b : a);
/** A copy that later steps' changes cannot reach (changes and state are persisted after the step). */
const snapshot = (i: IncidentState): IncidentState => ({ ...i, services: [...i.services], templateIds: [...i.templateIds] });
const keyOf = (s: { kind: string; service: string; templateId: string | null }): string => `${s.kind}\u0000${s.service}\u0000${s.templateId ?? ''}`;

/** What happens to each incident during one step, in the order incidents were first touched. */
interface Touched {
  incident: IncidentState;
  opened: boolean;
  newSignalIds: string[];
}

/** Advances the incidents by one evaluated minute: tracks signals, joins or opens incidents, ends and resolves. */
export function advanceIncidents(
  state: GroupingState,
  observations: SignalObservation[],
  minuteMs: number,
  o: GroupingOptions,
  newId: (prefix: 'inc' | 'sig') => string,
): GroupingStep {
  // Work on copies: the caller's state stays as it was (it may still be persisting it).
  const incidents = state.incidents.map(snapshot);
  const byId = new Map(incidents.map((i) => [i.id, i]));
  // A signal of an incident the state no longer holds has nothing to join: it is left behind.
  const signals = state.signals.filter((s) => byId.has(s.incidentId)).map((s) => ({ ...s }));
  const live = new Map(signals.filter((s) => s.endedMs === null).map((s) => [keyOf(s), s]));
  const touched = new Map<string, Touched>();
  const started: ActiveSignal[] = [];
  const updated = new Map<string, ActiveSignal>();

  for (const obs of observations) {
    const known = live.get(keyOf(obs));
    const incident = known ? byId.get(known.incidentId) : undefined;
    if (known && incident) {
      observeAgain(known, obs, minuteMs);
      incident.lastSignalMs = Math.max(incident.lastSignalMs, minuteMs);
      incident.severity = higher(incident.severity, known.severity);
      if (!started.includes(known)) updated.set(known.id, known);
      continue;
    }
    const target = findIncident(incidents, obs.service, minuteMs, o) ?? openIncident(incidents, byId, touched, minuteMs, newId);
    const signal = startSignal(obs, minuteMs, target.id, newId('sig'));
    signals.push(signal);
    live.set(keyOf(signal), signal);
    started.push(signal);
    attach(target, signal, minuteMs);
    const t = touched.get(target.id) ?? { incident: target, opened: false, newSignalIds: [] };
    t.newSignalIds.push(signal.id);
    touched.set(target.id, t);
  }

  const ended = endSignals(signals, minuteMs, o);
  const changes = growthChanges([...touched.values()], o);
  const resolved = resolveIncidents(incidents, signals, minuteMs, o);
  for (const r of resolved) changes.push({ type: 'resolved', incident: snapshot(r) });
  const gone = new Set(resolved.map((r) => r.id));
  return {
    state: { incidents: incidents.filter((i) => !gone.has(i.id)), signals: signals.filter((s) => !gone.has(s.incidentId)) },
    changes,
    startedSignals: started.map((s) => ({ ...s })),
    updatedSignals: [...updated.values()].map((s) => ({ ...s })),
    endedSignals: ended.map((s) => ({ ...s })),
  };
}

/** The same condition seen again: it keeps its identity; the strongest observation is its evidence. */
function observeAgain(s: ActiveSignal, obs: SignalObservation, minuteMs: number): void {
  s.lastMs = Math.max(s.lastMs, minuteMs);
  s.severity = higher(s.severity, obs.severity);
  if (obs.score > s.score) {
    s.observed = obs.observed;
    s.expected = obs.expected;
    s.score = obs.score;
    s.baseline = obs.baseline;
  }
}

/**
 * The open incident a new signal belongs to: first one of its own service that had a signal
 * within joinGapMinutes (one service's trouble keeps producing signals); else one of another
 * service within crossServiceMinutes (services failing together, a cascade, are one story; the
 * shorter gap keeps unrelated services' separate troubles apart). The most recently active wins.
 */
function findIncident(incidents: IncidentState[], service: string, minuteMs: number, o: GroupingOptions): IncidentState | undefined {
  const recent = (maxMinutes: number, same: boolean): IncidentState | undefined => {
    let best: IncidentState | undefined;
    for (const i of incidents) {
      if (i.resolvedMs !== null || i.services.includes(service) !== same) continue;
      if (minuteMs - i.lastSignalMs > maxMinutes * MINUTE) continue;
      if (!best || i.lastSignalMs > best.lastSignalMs || (i.lastSignalMs === best.lastSignalMs && i.openedMs < best.openedMs)) best = i;
    }
    return best;
  };
  return recent(o.joinGapMinutes, true) ?? recent(o.crossServiceMinutes, false);
}

function openIncident(
  incidents: IncidentState[], byId: Map<string, IncidentState>, touched: Map<string, Touched>,
  minuteMs: number, newId: (prefix: 'inc' | 'sig') => string,
): IncidentState {
  const incident: IncidentState = {
    id: newId('inc'), severity: 'info', openedMs: minuteMs, lastSignalMs: minuteMs, resolvedMs: null,
    services: [], templateIds: [], signalCount: 0, storiedSignals: 0, storiedServices: 0, stories: 0,
  };
  incidents.push(incident);
  byId.set(incident.id, incident);
  touched.set(incident.id, { incident, opened: true, newSignalIds: [] });
  return incident;
}

function startSignal(obs: SignalObservation, minuteMs: number, incidentId: string, id: string): ActiveSignal {
  return {
    id, kind: obs.kind, service: obs.service, templateId: obs.templateId, template: obs.template, severity: obs.severity,
    startedMs: minuteMs, lastMs: minuteMs, endedMs: null,
    observed: obs.observed, expected: obs.expected, score: obs.score, baseline: obs.baseline, incidentId,
  };
}

function attach(incident: IncidentState, signal: ActiveSignal, minuteMs: number): void {
  incident.signalCount += 1;
  incident.lastSignalMs = Math.max(incident.lastSignalMs, minuteMs);
  incident.severity = higher(incident.severity, signal.severity);
  if (!incident.services.includes(signal.service)) incident.services.push(signal.service);
  if (signal.templateId !== null && !incident.templateIds.includes(signal.templateId)) incident.templateIds.push(signal.templateId);
}

/** A signal not observed for signalEndMinutes has ended: the condition passed. */
function endSignals(signals: ActiveSignal[], minuteMs: number, o: GroupingOptions): ActiveSignal[] {
  const ended: ActiveSignal[] = [];
  for (const s of signals) {
    if (s.endedMs === null && minuteMs - s.lastMs >= o.signalEndMinutes * MINUTE) {
      s.endedMs = minuteMs;
      ended.push(s);
    }
  }
  return ended;
}

/**
 * opened / grew, and story_due when the story on record no longer describes the incident: it has
 * none yet, a service it does not name joined, or it has twice the signals it was written for.
 * Smaller growth adds evidence, not a different story, and stories cost LLM calls.
 */
function growthChanges(touched: Touched[], o: GroupingOptions): IncidentChange[] {
  const changes: IncidentChange[] = [];
  for (const t of touched) {
    const i = t.incident;
    if (t.opened) changes.push({ type: 'opened', incident: snapshot(i) });
    else changes.push({ type: 'grew', incident: snapshot(i), signalIds: [...t.newSignalIds] });
    const material = i.stories === 0 || i.services.length > i.storiedServices || i.signalCount >= 2 * i.storiedSignals;
    if (material && i.stories < o.maxStories) {
      i.stories += 1;
      i.storiedSignals = i.signalCount;
      i.storiedServices = i.services.length;
      changes.push({ type: 'story_due', incident: snapshot(i) });
    }
  }
  return changes;
}

/** Resolved: every signal ended and none was observed for resolveAfterMinutes. */
function resolveIncidents(incidents: IncidentState[], signals: ActiveSignal[], minuteMs: number, o: GroupingOptions): IncidentState[] {
  const running = new Set(signals.filter((s) => s.endedMs === null).map((s) => s.incidentId));
  const resolved: IncidentState[] = [];
  for (const i of incidents) {
    if (i.resolvedMs !== null || running.has(i.id)) continue;
    if (minuteMs - i.lastSignalMs >= o.resolveAfterMinutes * MINUTE) {
      i.resolvedMs = minuteMs;
      resolved.push(i);
    }
  }
  return resolved;
}
