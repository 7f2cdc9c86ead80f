import type { Queryable } from '../../db/types.js';
import type { ActiveSignal, IncidentSeverity, SignalKind } from './types.js';
import type { StoredStory } from './repo-state.js';

// SQL of the story step: which incidents wait for a story, the claim that keeps two workers from
// asking twice, the evidence, and the outcome.

const ms = (col: string): string => `(extract(epoch from ${col}) * 1000)::float8`;

/** Incidents whose story is due and not being written by another worker, oldest change first. */
export async function dueStories(q: Queryable, nowMs: number, limit: number): Promise<string[]> {
  const r = await q.query<{ id: string }>(
    `SELECT id FROM incidents WHERE story_state = 'due' AND (story_lease_until IS NULL OR story_lease_until < $1::timestamptz)
      ORDER BY updated_at, id LIMIT $2`,
    [new Date(nowMs).toISOString(), limit],
  );
  return r.rows.map((x) => x.id);
}

export interface ClaimedStory {
  id: string;
  /** This attempt's number (counted at the claim: a worker dying mid-call used one). */
  attempts: number;
  /** The incident's story count when claimed: a story due again meanwhile is not marked written by this one. */
  stories: number;
  openedMs: number;
  lastSignalMs: number;
  services: string[];
  severity: IncidentSeverity;
  state: 'open' | 'resolved';
  signalCount: number;
}

/** Claims a due story for `leaseMs`; undefined when it is no longer due or another worker holds it. */
export async function claimStory(q: Queryable, id: string, nowMs: number, leaseMs: number): Promise<ClaimedStory | undefined> {
  const r = await q.query<{ attempts: number; stories: number; opened: number; last_signal: number; services: string[]; severity: IncidentSeverity; state: 'open' | 'resolved'; signal_count: number }>(
    `UPDATE incidents SET story_attempts = story_attempts + 1, story_lease_until = $2::timestamptz + make_interval(secs => $3::double precision / 1000)
      WHERE id = $1 AND story_state = 'due' AND (story_lease_until IS NULL OR story_lease_until < $2::timestamptz)
      RETURNING story_attempts AS attempts, stories, ${ms('opened_at')} AS opened, ${ms('last_signal_at')} AS last_signal, services, severity, state, signal_count`,
    [id, new Date(nowMs).toISOString(), leaseMs],
  );
  const x = r.rows[0];
  return x && {
    id, attempts: x.attempts, stories: x.stories, openedMs: Number(x.opened), lastSignalMs: Number(x.last_signal),
    services: x.services, severity: x.severity, state: x.state, signalCount: x.signal_count,
  };
}

/** Every signal of the incident (the story's evidence). */
export async function incidentSignals(q: Queryable, id: string): Promise<ActiveSignal[]> {
  const r = await q.query<{
    id: string; kind: SignalKind; service: string; template_id: string | null; template: string; severity: IncidentSeverity;
    started: number; last: number; ended: number | null; observed: number; expected: number; score: number; baseline: string;
  }>(
    `SELECT id, kind, service, template_id, template, severity, ${ms('started_at')} AS started, ${ms('last_at')} AS last,
            ${ms('ended_at')} AS ended, observed, expected, score, baseline
       FROM incident_signals WHERE incident_id = $1 ORDER BY started_at, id`,
    [id],
  );
  return r.rows.map((s) => ({
    id: s.id, kind: s.kind, service: s.service, templateId: s.template_id, template: s.template, severity: s.severity,
    startedMs: Number(s.started), lastMs: Number(s.last), endedMs: s.ended === null ? null : Number(s.ended),
    observed: Number(s.observed), expected: Number(s.expected), score: Number(s.score), baseline: s.baseline, incidentId: id,
  }));
}

/** Stores a written story; the incident takes its title. Still due when it grew enough meanwhile to need the next one. */
export async function saveStory(q: Queryable, c: ClaimedStory, story: StoredStory, nowMs: number): Promise<void> {
  await q.query(
    `UPDATE incidents SET story = $2::jsonb, title = $3, story_model = $4, story_at = $5::timestamptz, story_lease_until = NULL,
            story_state = CASE WHEN stories = $6 THEN 'written' ELSE story_state END,
            story_attempts = CASE WHEN stories = $6 THEN story_attempts ELSE 0 END,
            updated_at = GREATEST(updated_at, $5::timestamptz)
      WHERE id = $1`,
    [c.id, JSON.stringify(story), story.title, story.model, new Date(nowMs).toISOString(), c.stories],
  );
}

/** Records a failed attempt: the story stays due for the next tick, or is failed after `maxAttempts`. Returns whether it failed for good. */
export async function storyAttemptFailed(q: Queryable, c: ClaimedStory, maxAttempts: number): Promise<boolean> {
  const r = await q.query<{ failed: boolean }>(
    `UPDATE incidents SET story_lease_until = NULL,
            story_state = CASE WHEN story_state = 'due' AND stories = $2 AND story_attempts >= $3 THEN 'failed' ELSE story_state END
      WHERE id = $1 RETURNING story_state = 'failed' AS failed`,
    [c.id, c.stories, maxAttempts],
  );
  return r.rows[0]?.failed === true;
}
