// Incident rules: the incidents module reports each change of an incident (opened, grew, got its
// story, resolved) here, in its own transaction. Every enabled incident rule the incident matches
// keeps one alert for it; the engine's timing (group wait, group interval, repeat) then notifies
// through the rule's channels, and the alert resolves when the incident does, never by a quiet period.
import type { Queryable } from '../../db/types.js';
import * as repo from './repo-engine.js';
import { send } from './engine.js';
import { compileGlob, fingerprint } from './match.js';
import { listRules } from './repo-rules.js';
import { severityRank, type Rule, type Severity } from './schema.js';
import { findSilence, matchableLabels } from './silences.js';

/** One incident as alerting needs it (times in epoch ms); the latest state, sent on every change. */
export interface IncidentUpdate {
  incidentId: string;
  state: 'open' | 'resolved';
  severity: Severity;
  /** The story's title, or the generated one. */
  title: string;
  /** The incident's services, the first one named in the alert's labels. */
  services: string[];
  signalCount: number;
  /** From the story, once written (left out: the alert keeps what it had). */
  firstCause?: string;
  nextSteps?: string[];
  openedMs: number;
  lastSignalMs: number;
  /** One log line of the incident, shown in notifications. */
  sample?: string;
  /** The story came from the demo stand-in. */
  demo?: boolean;
}

/** True when an incident rule's conditions hold: severity at least min_severity, some service named or matching the pattern. */
export function incidentMatches(rule: Rule, u: IncidentUpdate): boolean {
  const c = rule.conditions;
  if (c.min_severity !== undefined && severityRank(u.severity) > severityRank(c.min_severity)) return false;
  if (c.services !== undefined && c.services.length > 0 && !u.services.some((s) => c.services!.includes(s))) return false;
  if (c.service_pattern !== undefined && !u.services.some(compileGlob(c.service_pattern))) return false;
  return true;
}

/** The alert of one rule for one incident: the same fingerprint on every update, whatever its services become. */
export const incidentFingerprint = (ruleId: string, incidentId: string): string => fingerprint(ruleId, { incident: incidentId });

type Content = Pick<repo.EngineAlert, 'severity' | 'count' | 'first_seen' | 'last_seen' | 'summary' | 'root_cause' | 'suggestion' | 'sample_message' | 'demo'>;

/** What the alert says of the incident; story fields not given keep the alert's current text. */
function content(u: IncidentUpdate, current?: repo.EngineAlert): Content {
  return {
    severity: u.severity,
    count: u.signalCount,
    first_seen: u.openedMs,
    last_seen: Math.max(u.lastSignalMs, current?.last_seen ?? 0),
    summary: u.title,
    root_cause: u.firstCause ?? current?.root_cause ?? '',
    // One line: every channel renders it as is, and markdown robots join lines.
    suggestion: u.nextSteps !== undefined ? u.nextSteps.join('; ') : (current?.suggestion ?? ''),
    sample_message: u.sample ?? current?.sample_message ?? null,
    demo: u.demo ?? current?.demo ?? false,
  };
}

/**
 * Applies one incident update inside the caller's transaction: opens or updates one alert per matching
 * enabled incident rule, or resolves the incident's alerts. Returns the alerts opened (or resolved).
 */
export async function applyIncidentUpdate(tx: Queryable, u: IncidentUpdate, now: number): Promise<number> {
  await repo.waitEngineLock(tx);
  if (u.state === 'resolved') return resolveIncident(tx, u, now);
  const rules = (await listRules(tx, true, 'incident')).filter((r) => incidentMatches(r, u));
  if (rules.length === 0) return 0;
  const byFp = new Map(rules.map((r) => [incidentFingerprint(r.id, u.incidentId), r]));
  const firing = new Map((await repo.firingByFingerprint(tx, [...byFp.keys()])).map((a) => [a.fingerprint, a]));
  let opened = 0;
  for (const [fp, rule] of byFp) {
    const alert = firing.get(fp);
    if (alert) {
      await repo.updateAlertMatches(tx, { ...alert, ...content(u, alert) }, now);
      // A new story is news even when no signal was added: send it at the group interval.
      if (u.firstCause !== undefined && u.firstCause !== '' && u.firstCause !== alert.root_cause) await repo.markNews(tx, alert.id);
      continue;
    }
    const labels = { incident: u.incidentId, service: u.services[0] ?? '' };
    const id = await repo.insertAlert(tx, {
      rule_id: rule.id, rule_name: rule.name, fingerprint: fp, labels, started_at: now, last_match_at: now, ...content(u),
    }, null);
    await repo.addHistory(tx, id, now, 'firing', { count: u.signalCount, labels });
    opened++;
  }
  return opened;
}

/** Resolves every firing alert of the incident, with a resolved notification where its rule asks for one and nothing mutes it. */
async function resolveIncident(tx: Queryable, u: IncidentUpdate, now: number): Promise<number> {
  const alerts = await repo.firingOfIncident(tx, u.incidentId);
  if (alerts.length === 0) return 0;
  const rules = new Map((await listRules(tx)).map((r) => [r.id, r]));
  const silences = await repo.activeSilences(tx, now);
  for (const a of alerts) {
    const final = { ...a, ...content(u, a) };
    await repo.updateAlertMatches(tx, final, now);
    const rule = a.rule_id === null ? undefined : rules.get(a.rule_id);
    const silence = findSilence(silences, matchableLabels(a));
    await repo.addHistory(tx, a.id, now, 'resolved', { count: final.count, reason: 'incident resolved' });
    if (rule?.enabled && rule.notify_resolved && !silence && a.rounds > 0) await send(tx, final, rule, 'resolved', a.rounds, now);
    await repo.saveAlertState(tx, a.id, {
      rounds: a.rounds, notifiedCount: a.notified_count, lastNotifiedAt: a.last_notified_at, silencedBy: silence?.id ?? null, resolvedAt: now, dueAt: null,
    });
  }
  return alerts.length;
}
