// Scoring: which incidents the grouping produced, which planted incidents they found, how fast,
// and how many stories they asked for.
import type { ActiveSignal, GroupingStep } from '../../packages/server/src/modules/incidents/types.js';
import { MINUTE, SHAPES, START_MS, type Planted, type Shape } from './world.js';

export interface Found {
  id: string;
  opened: number;
  /** Resolved minute, or null when still open at the end of the day. */
  resolved: number | null;
  services: string[];
  templateIds: string[];
  stories: number;
  signals: ActiveSignal[];
}

/** Collects incidents from each step's changes. */
export class Collector {
  readonly incidents = new Map<string, Found>();

  add(step: GroupingStep): void {
    const minuteOf = (ms: number): number => Math.round((ms - START_MS) / MINUTE);
    for (const c of step.changes) {
      const i = c.incident;
      const f = this.incidents.get(i.id) ?? { id: i.id, opened: minuteOf(i.openedMs), resolved: null, services: [], templateIds: [], stories: 0, signals: [] };
      f.services = [...i.services];
      f.templateIds = [...i.templateIds];
      if (c.type === 'story_due') f.stories += 1;
      if (c.type === 'resolved' && i.resolvedMs !== null) f.resolved = minuteOf(i.resolvedMs);
      this.incidents.set(i.id, f);
    }
    for (const s of step.startedSignals) this.incidents.get(s.incidentId)?.signals.push(s);
  }
}

/** A planted condition shows in the counts up to a window after it ends. */
const SLACK = 5;

/** The incident overlaps the planted one in time and holds its service(s) and one of its templates. */
export function matches(f: Found, p: Planted, lastMinute: number): boolean {
  const end = f.resolved ?? lastMinute;
  if (f.opened > p.end + SLACK || end < p.start) return false;
  if (!p.services.every((s) => f.services.includes(s))) return false;
  return p.templates.length === 0 || p.templates.some((t) => f.templateIds.includes(t));
}

export interface Scores {
  incidents: number;
  recall: number;
  precision: number;
  delays: number[];
  storiesMean: number;
  storiesMax: number;
  perShape: Map<Shape, { planted: number; found: number }>;
  missed: Planted[];
  unmatched: Found[];
}

/** Minutes from the planted start to the first signal of its service(s) in a matching incident. */
function delay(p: Planted, found: Found[]): number {
  let best = Infinity;
  for (const f of found) {
    for (const s of f.signals) {
      const minute = Math.round((s.startedMs - START_MS) / MINUTE);
      if (minute >= p.start && p.services.includes(s.service)) best = Math.min(best, minute - p.start);
    }
    if (f.opened >= p.start) best = Math.min(best, f.opened - p.start);
  }
  return best === Infinity ? 0 : best;
}

export function score(c: Collector, planted: Planted[], lastMinute: number): Scores {
  const all = [...c.incidents.values()];
  const perShape = new Map<Shape, { planted: number; found: number }>(SHAPES.map((s) => [s, { planted: 0, found: 0 }]));
  const delays: number[] = [];
  const missed: Planted[] = [];
  for (const p of planted) {
    const found = all.filter((f) => matches(f, p, lastMinute));
    const row = perShape.get(p.shape);
    if (row) row.planted += 1;
    if (found.length === 0) {
      missed.push(p);
      continue;
    }
    if (row) row.found += 1;
    delays.push(delay(p, found));
  }
  const unmatched = all.filter((f) => !planted.some((p) => matches(f, p, lastMinute)));
  const stories = all.map((f) => f.stories);
  return {
    incidents: all.length,
    recall: planted.length === 0 ? 1 : (planted.length - missed.length) / planted.length,
    precision: all.length === 0 ? 1 : (all.length - unmatched.length) / all.length,
    delays: delays.sort((a, b) => a - b),
    storiesMean: stories.length === 0 ? 0 : stories.reduce((a, b) => a + b, 0) / stories.length,
    storiesMax: Math.max(0, ...stories),
    perShape,
    missed,
    unmatched,
  };
}

export function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}
