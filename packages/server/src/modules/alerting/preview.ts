import type { Queryable } from '../../db/types.js';
import { readResultsBetween, type Prefilter } from './repo-engine.js';
import { addHit, groupLabels, type Predicate } from './match.js';
import { SEVERITIES, severityRank, type Conditions, type GroupLabel } from './schema.js';

const PREVIEW_SPAN_MS = 86_400_000;
/** Past this many matching candidates the preview stops and says so, instead of reading a day of a flood. */
const PREVIEW_MAX_ROWS = 100_000;
const MAX_GROUPS_SHOWN = 50;

export interface PreviewInput {
  conditions: Conditions;
  test: Predicate;
  groupBy: GroupLabel[];
  threshold: { count: number; window_minutes: number };
  resolveAfterMs: number;
}

export interface PreviewReply {
  from: string;
  to: string;
  /** Results matching the conditions. */
  matched: number;
  /** Alerts the rule would have raised (a group that resolves and fires again counts twice). */
  alerts: number;
  /** True when the day held more candidates than the preview reads: the counts are a lower bound. */
  truncated: boolean;
  groups: { labels: Record<string, string>; alerts: number; matches: number }[];
}

/** The part of the conditions the database can filter on. */
function prefilter(c: Conditions): Prefilter {
  const f: Prefilter = {};
  if (c.min_severity) f.severities = SEVERITIES.filter((s) => severityRank(s) <= severityRank(c.min_severity!));
  if (c.anomaly !== undefined) f.anomaly = c.anomaly;
  if (c.categories?.length) f.categories = c.categories;
  if (c.services?.length) f.services = c.services;
  if (c.levels?.length) f.levels = c.levels;
  if (c.templates?.length) f.templates = c.templates;
  return f;
}

/**
 * Replays the last 24 hours of results through a rule, with event time as the clock: thresholds per
 * group, and a new alert whenever a group fires after being quiet for the resolve period.
 */
export async function previewRule(q: Queryable, p: PreviewInput, now: number): Promise<PreviewReply> {
  const from = now - PREVIEW_SPAN_MS;
  const rows = await readResultsBetween(q, from, now, prefilter(p.conditions), PREVIEW_MAX_ROWS);
  const groups = new Map<string, { labels: Record<string, string>; alerts: number; matches: number; hits: number[]; lastMatch: number | null }>();
  let matched = 0;
  let alerts = 0;
  for (const r of rows) {
    if (!p.test(r)) continue;
    matched++;
    const ts = Date.parse(r.ts);
    const labels = groupLabels(p.groupBy, r);
    const key = JSON.stringify(labels);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { labels, alerts: 0, matches: 0, hits: [], lastMatch: null }));
    g.matches++;
    if (g.lastMatch !== null && ts - g.lastMatch < p.resolveAfterMs) {
      g.lastMatch = ts; // still the same firing alert
      continue;
    }
    const step = addHit(g.hits, ts, p.threshold.window_minutes * 60_000, p.threshold.count);
    g.hits = step.hits;
    g.lastMatch = null;
    if (step.met) {
      g.alerts++;
      alerts++;
      g.lastMatch = ts;
      g.hits = [];
    }
  }
  const shown = [...groups.values()]
    .sort((a, b) => b.alerts - a.alerts || b.matches - a.matches)
    .slice(0, MAX_GROUPS_SHOWN)
    .map(({ labels, alerts: n, matches }) => ({ labels, alerts: n, matches }));
  return { from: new Date(from).toISOString(), to: new Date(now).toISOString(), matched, alerts, truncated: rows.length === PREVIEW_MAX_ROWS, groups: shown };
}
