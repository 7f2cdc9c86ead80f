import type { Logger } from 'pino';
import type { Queryable } from '../../db/types.js';
import * as repo from './repo-engine.js';
import { addHit, compileConditions, fingerprint, groupLabels, type Predicate, type ResultRow } from './match.js';
import { severityRank, type GroupLabel, type Rule } from './schema.js';

export interface CompiledRule {
  rule: Rule;
  test: Predicate;
}

/**
 * Compiles every result rule; a rule that no longer compiles is logged and skipped, never blocking the
 * others. Incident rules are left out: they match incidents (incident.ts), and their conditions alone
 * would match every result of a service.
 */
export function compileRules(rules: Rule[], log: Logger): CompiledRule[] {
  const out: CompiledRule[] = [];
  for (const rule of rules) {
    if (rule.kind !== 'result') continue;
    try {
      out.push({ rule, test: compileConditions(rule.conditions) });
    } catch (err) {
      log.warn({ err, rule: rule.id }, 'alert rule skipped: its conditions do not compile');
    }
  }
  return out;
}

/** The matches of one rule group within a batch. */
interface Group {
  rule: Rule;
  fp: string;
  labels: Record<string, string>;
  hits: number[];
  first: number;
  last: number;
  best: ResultRow;
}

/** Groups the batch's matching results by rule and group labels. */
export function groupMatches(rules: CompiledRule[], rows: ResultRow[]): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const r of rows) {
    const ts = Date.parse(r.ts);
    for (const { rule, test } of rules) {
      if (!test(r)) continue;
      const labels = groupLabels(rule.group_by as GroupLabel[], r);
      const fp = fingerprint(rule.id, labels);
      const g = groups.get(fp);
      if (!g) {
        groups.set(fp, { rule, fp, labels, hits: [ts], first: ts, last: ts, best: r });
        continue;
      }
      g.hits.push(ts);
      g.first = Math.min(g.first, ts);
      g.last = Math.max(g.last, ts);
      // The most severe result speaks for the alert; among equals, the latest.
      if (severityRank(r.severity) <= severityRank(g.best.severity)) g.best = r;
    }
  }
  return groups;
}

/** Counts a group's hits against its rule's threshold; returns the alert's count when it is met. */
function thresholdCount(g: Group, prior: number[]): { count: number; hits: number[] } | { count: undefined; hits: number[] } {
  const { count: need, window_minutes } = g.rule.threshold;
  let hits = prior;
  const sorted = [...g.hits].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length; i++) {
    const step = addHit(hits, sorted[i]!, window_minutes * 60_000, need);
    hits = step.hits;
    if (step.met) return { count: hits.length + (sorted.length - i - 1), hits };
  }
  return { count: undefined, hits };
}

/** Applies a batch of results: updates firing alerts, counts thresholds, opens new alerts. Returns alerts opened. */
export async function applyResults(tx: Queryable, rules: CompiledRule[], rows: ResultRow[], now: number): Promise<number> {
  if (rows.length === 0 || rules.length === 0) return 0;
  const groups = groupMatches(rules, rows);
  if (groups.size === 0) return 0;
  const firing = new Map((await repo.firingByFingerprint(tx, [...groups.keys()])).map((a) => [a.fingerprint, a]));
  const pending = await repo.readPending(tx, [...groups.values()].filter((g) => !firing.has(g.fp) && g.rule.threshold.count > 1).map((g) => g.fp));
  let opened = 0;
  for (const g of groups.values()) {
    const alert = firing.get(g.fp);
    if (alert) {
      const better = severityRank(g.best.severity) <= severityRank(alert.severity);
      await repo.updateAlertMatches(tx, {
        ...alert,
        count: alert.count + g.hits.length,
        first_seen: Math.min(alert.first_seen, g.first),
        last_seen: Math.max(alert.last_seen, g.last),
        ...(better ? representative(g.best) : {}),
      }, now);
      continue;
    }
    const counted = thresholdCount(g, pending.get(g.fp) ?? []);
    if (counted.count === undefined) {
      await repo.savePending(tx, g.rule.id, g.fp, counted.hits, now);
      continue;
    }
    if (g.rule.threshold.count > 1) await repo.deletePending(tx, g.fp);
    const first = Math.min(g.first, ...counted.hits);
    const id = await repo.insertAlert(tx, {
      rule_id: g.rule.id, rule_name: g.rule.name, fingerprint: g.fp, labels: g.labels, count: counted.count,
      first_seen: first, last_seen: g.last, started_at: now, last_match_at: now, ...representative(g.best),
    }, g.best.log_id);
    await repo.addHistory(tx, id, now, 'firing', { count: counted.count, labels: g.labels });
    opened++;
  }
  return opened;
}

function representative(r: ResultRow): Pick<repo.EngineAlert, 'severity' | 'summary' | 'root_cause' | 'suggestion' | 'sample_message' | 'demo'> {
  return { severity: r.severity, summary: r.summary, root_cause: r.root_cause, suggestion: r.suggestion, sample_message: r.message, demo: r.demo };
}
