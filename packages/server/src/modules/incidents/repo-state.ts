import type { Queryable } from '../../db/types.js';
import type { ActiveSignal, GroupingState, IncidentSeverity, IncidentState, SignalKind } from './types.js';

// SQL of the incident loop's detection side: the lock and cursor, the grouping state (open
// incidents and their signals) and the writes of one evaluated minute.

// Any constant no other LogSage lock uses: one process evaluates minutes at a time.
const INCIDENT_LOCK_KEY = 7_340_200;

const ms = (col: string): string => `(extract(epoch from ${col}) * 1000)::float8`;
const iso = (v: number | null): string | null => (v === null ? null : new Date(v).toISOString());

/** Takes the incident loop's lock for the rest of the transaction; false when another process holds it. */
export async function tryLockIncidents(q: Queryable): Promise<boolean> {
  const r = await q.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1::bigint) AS ok', [INCIDENT_LOCK_KEY]);
  return r.rows[0]?.ok === true;
}

/** The next minute to evaluate (ms), or undefined before the first evaluation. */
export async function readCursor(q: Queryable): Promise<number | undefined> {
  const r = await q.query<{ m: number }>(`SELECT ${ms('next_minute')} AS m FROM incident_state WHERE id = 1`);
  return r.rows[0] ? Number(r.rows[0].m) : undefined;
}

/** Moves the cursor to `nextMinuteMs` (written with the minute's changes). */
export async function writeCursor(q: Queryable, nextMinuteMs: number): Promise<void> {
  await q.query(
    `INSERT INTO incident_state (id, next_minute) VALUES (1, $1::timestamptz)
     ON CONFLICT (id) DO UPDATE SET next_minute = EXCLUDED.next_minute, updated_at = now()`,
    [new Date(nextMinuteMs).toISOString()],
  );
}

interface IncidentRow {
  id: string; severity: IncidentSeverity; opened: number; last_signal: number; services: string[]; template_ids: string[];
  signal_count: number; storied_signals: number; storied_services: number; stories: number;
}

interface SignalRow {
  id: string; incident_id: string; kind: SignalKind; service: string; template_id: string | null; template: string; severity: IncidentSeverity;
  started: number; last: number; ended: number | null; observed: number; expected: number; score: number; baseline: string;
}

/** The open incidents and all their signals, as the grouping keeps them. */
export async function loadGroupingState(q: Queryable): Promise<GroupingState> {
  const inc = await q.query<IncidentRow>(
    `SELECT id, severity, ${ms('opened_at')} AS opened, ${ms('last_signal_at')} AS last_signal, services, template_ids,
            signal_count, storied_signals, storied_services, stories
       FROM incidents WHERE state = 'open' ORDER BY opened_at, id`,
  );
  const sig = await q.query<SignalRow>(
    `SELECT s.id, s.incident_id, s.kind, s.service, s.template_id, s.template, s.severity, ${ms('s.started_at')} AS started,
            ${ms('s.last_at')} AS last, ${ms('s.ended_at')} AS ended, s.observed, s.expected, s.score, s.baseline
       FROM incident_signals s JOIN incidents i ON i.id = s.incident_id AND i.state = 'open' ORDER BY s.started_at, s.id`,
  );
  return { incidents: inc.rows.map(toIncident), signals: sig.rows.map(toSignal) };
}

const toIncident = (r: IncidentRow): IncidentState => ({
  id: r.id, severity: r.severity, openedMs: Number(r.opened), lastSignalMs: Number(r.last_signal), resolvedMs: null,
  services: r.services, templateIds: r.template_ids, signalCount: r.signal_count, storiedSignals: r.storied_signals,
  storiedServices: r.storied_services, stories: r.stories,
});

const toSignal = (r: SignalRow): ActiveSignal => ({
  id: r.id, kind: r.kind, service: r.service, templateId: r.template_id, template: r.template, severity: r.severity,
  startedMs: Number(r.started), lastMs: Number(r.last), endedMs: r.ended === null ? null : Number(r.ended),
  observed: Number(r.observed), expected: Number(r.expected), score: Number(r.score), baseline: r.baseline, incidentId: r.incident_id,
});

/** Inserts new signals and updates continuing or ended ones (the strongest observation, last seen, end). */
export async function saveSignals(q: Queryable, signals: ActiveSignal[]): Promise<void> {
  if (signals.length === 0) return;
  const col = <K extends keyof ActiveSignal>(k: K): ActiveSignal[K][] => signals.map((s) => s[k]);
  await q.query(
    `INSERT INTO incident_signals (id, incident_id, kind, service, template_id, template, severity, started_at, last_at, ended_at, observed, expected, score, baseline)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[],
                          $9::timestamptz[], $10::timestamptz[], $11::float8[], $12::float8[], $13::float8[], $14::text[])
     ON CONFLICT (id) DO UPDATE SET severity = EXCLUDED.severity, last_at = EXCLUDED.last_at, ended_at = EXCLUDED.ended_at,
       observed = EXCLUDED.observed, expected = EXCLUDED.expected, score = EXCLUDED.score, baseline = EXCLUDED.baseline`,
    [col('id'), col('incidentId'), col('kind'), col('service'), col('templateId'), col('template'), col('severity'),
      signals.map((s) => iso(s.startedMs)), signals.map((s) => iso(s.lastMs)), signals.map((s) => iso(s.endedMs)),
      col('observed'), col('expected'), col('score'), col('baseline')],
  );
}

/** What one minute changed of an incident, beyond its state: its title, whether a story is now due. */
export interface IncidentWrite {
  incident: IncidentState;
  /** The generated title (kept out when a story already named the incident). */
  title: string;
  storyDue: boolean;
  /** When the change happened (the evaluated minute's end). */
  atMs: number;
}

/** Inserts or updates one incident; a story due resets the attempts (each story gets its own). */
export async function saveIncident(q: Queryable, w: IncidentWrite): Promise<void> {
  const i = w.incident;
  await q.query(
    `INSERT INTO incidents (id, state, severity, title, services, template_ids, signal_count, opened_at, last_signal_at, resolved_at,
                            story_state, stories, storied_signals, storied_services, updated_at)
     VALUES ($1, $2, $3, $4, $5::text[], $6::text[], $7, $8::timestamptz, $9::timestamptz, $10::timestamptz,
             CASE WHEN $11::boolean THEN 'due' ELSE 'none' END, $12, $13, $14, $15::timestamptz)
     ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, severity = EXCLUDED.severity,
       title = CASE WHEN incidents.story IS NULL THEN EXCLUDED.title ELSE incidents.title END,
       services = EXCLUDED.services, template_ids = EXCLUDED.template_ids, signal_count = EXCLUDED.signal_count,
       last_signal_at = EXCLUDED.last_signal_at, resolved_at = EXCLUDED.resolved_at,
       story_state = CASE WHEN $11::boolean THEN 'due' ELSE incidents.story_state END,
       story_attempts = CASE WHEN $11::boolean THEN 0 ELSE incidents.story_attempts END,
       stories = EXCLUDED.stories, storied_signals = EXCLUDED.storied_signals, storied_services = EXCLUDED.storied_services,
       updated_at = GREATEST(incidents.updated_at, EXCLUDED.updated_at)`,
    [i.id, i.resolvedMs === null ? 'open' : 'resolved', i.severity, w.title, i.services, i.templateIds, i.signalCount,
      iso(i.openedMs), iso(i.lastSignalMs), iso(i.resolvedMs), w.storyDue, i.stories, i.storiedSignals, i.storiedServices, iso(w.atMs)],
  );
}

export type HistoryEvent = 'opened' | 'grew' | 'story' | 'story_failed' | 'resolved';

/** Appends one entry to an incident's history. */
export async function addHistory(q: Queryable, incidentId: string, atMs: number, event: HistoryEvent, detail: object): Promise<void> {
  await q.query(`INSERT INTO incident_history (incident_id, at, event, detail) VALUES ($1, $2::timestamptz, $3, $4::jsonb)`, [
    incidentId, new Date(atMs).toISOString(), event, JSON.stringify(detail),
  ]);
}

/**
 * The story as incidents.story holds it: the API's shape (snake_case), with the model, when it was
 * written and whether the demo stand-in wrote it.
 */
export interface StoredStory {
  title: string;
  summary: string;
  timeline: { at: string; text: string }[];
  first_cause: string;
  affected_services: string[];
  next_steps: string[];
  severity: string;
  confidence: number;
  model: string;
  written_at: string;
  demo: boolean;
}

/** The incident's title and story (when written), for alerting. */
export async function incidentStory(q: Queryable, id: string): Promise<{ title: string; story: StoredStory | null } | undefined> {
  const r = await q.query<{ title: string; story: StoredStory | null }>(`SELECT title, story FROM incidents WHERE id = $1`, [id]);
  return r.rows[0];
}

/** Deletes incidents resolved before `beforeMs`, their signals and history with them; returns how many. */
export async function pruneIncidents(q: Queryable, beforeMs: number): Promise<number> {
  const r = await q.query(`DELETE FROM incidents WHERE state = 'resolved' AND resolved_at < $1::timestamptz`, [new Date(beforeMs).toISOString()]);
  return r.rowCount;
}
