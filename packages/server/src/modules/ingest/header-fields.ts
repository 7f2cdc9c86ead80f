// Header fields at ingest. A plain-text line, or a shipper entry that sent only the raw line,
// carries its time, level, host and component in a header whose layout no list could name: each
// service's layout is learned from its own lines (LayoutLearner, kept per service in this process)
// and what the header carries fills only what the entry left out. The stored message keeps its
// full text; the analysis worker strips the same header before mining templates.
import { LayoutLearner, parseHeaderTime, type HeaderFields } from '@logsage/log-patterns';
import { normalizeLevel } from './levels.js';
import type { LogRow } from './normalize.js';

/** Fields an entry came without, which a header in its message may supply. */
export interface Missing {
  time: boolean;
  level: boolean;
}

/** A normalised row and what its entry left out. */
export interface HeaderCandidate {
  row: LogRow;
  missing: Missing;
}

/** The batch's receive time and the timestamps it may store. */
export interface HeaderWindow {
  now: number;
  minTs: number;
  maxTs: number;
}

/** Services whose layouts are kept; past it the least recently seen is forgotten and learned again. */
export const MAX_LEARNED_SOURCES = 1000;

/** Learns each service's header layout and fills rows' missing fields from their headers. */
export class HeaderFieldFiller {
  // Insertion order is recency order: a service seen again is moved to the end.
  private readonly learners = new Map<string, LayoutLearner>();

  constructor(private readonly maxSources = MAX_LEARNED_SOURCES) {}

  /** Fills the candidates' missing fields (in place) from their headers; returns how many rows gained one. */
  fill(candidates: readonly HeaderCandidate[], window: HeaderWindow): number {
    const bySource = new Map<string, HeaderCandidate[]>();
    for (const c of candidates) {
      const group = bySource.get(c.row.service);
      if (group === undefined) bySource.set(c.row.service, [c]);
      else group.push(c);
    }
    let filled = 0;
    for (const [service, group] of bySource) {
      const learner = this.learner(service);
      const lines = group.map((c) => c.row.message);
      // Until a layout is known the batch teaches it (nothing is filled below MIN_LINES lines seen);
      // afterwards every line is observed, so a source that changes its format is learned again.
      if (learner.layout === null) learner.prime(lines);
      else for (const line of lines) learner.observe(line);
      if (learner.layout === null || learner.layout === '') continue;
      for (const c of group) if (apply(c, learner.split(c.row.message).fields, window)) filled++;
    }
    return filled;
  }

  /** How many services have a learner (bounded by maxSources). */
  get size(): number {
    return this.learners.size;
  }

  private learner(service: string): LayoutLearner {
    let l = this.learners.get(service);
    if (l !== undefined) this.learners.delete(service);
    else l = new LayoutLearner();
    this.learners.set(service, l);
    if (this.learners.size > this.maxSources) {
      const oldest = this.learners.keys().next();
      if (oldest.done !== true) this.learners.delete(oldest.value);
    }
    return l;
  }
}

/** Fills one row's missing fields from its header; true when any was filled. */
function apply(c: HeaderCandidate, fields: HeaderFields, window: HeaderWindow): boolean {
  const { row, missing } = c;
  let changed = false;
  if (missing.time && fields.timestamp !== undefined) {
    const t = parseHeaderTime(fields.timestamp, new Date(window.now))?.getTime();
    // A header time outside the window (an old file replayed) keeps the receive time: refusing the
    // line for a time it never sent as a field would lose it.
    if (t !== undefined && t >= window.minTs && t <= window.maxTs) {
      row.ts = t;
      changed = true;
    }
  }
  if (missing.level && fields.level !== undefined) {
    // A word we cannot map leaves the level `unknown`, as for an entry that sent none.
    const level = normalizeLevel(fields.level);
    if (level !== undefined && level !== 'unknown') {
      row.level = level;
      changed = true;
    }
  }
  const attrs = row.attributes;
  // Syslog entries name their host `hostname`: one host is enough.
  if (fields.host !== undefined && attrs.host === undefined && attrs.hostname === undefined) {
    attrs.host = fields.host;
    changed = true;
  }
  if (fields.component !== undefined && fields.component !== '' && attrs.component === undefined) {
    attrs.component = fields.component;
    changed = true;
  }
  return changed;
}
