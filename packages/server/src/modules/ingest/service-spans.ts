import type { LogRow } from './normalize.js';
import type { ServiceSpan } from './repo-logs.js';

/** How far a service's last_seen may lag its newest stored log (listing services filters by days). */
const LAST_SEEN_SLACK_MS = 60_000;
/** Past this many services the memory is forgotten (then every service is written once more). */
const MAX_SERVICES = 10_000;

/**
 * What this process knows the services table holds, so a flush writes a service's row only when
 * it is new or its times moved. Writing every service on every flush cost a statement per flush,
 * and row locks that made two concurrent flushes wait on each other's commit. Only committed spans
 * are remembered: a rolled-back flush leaves nothing believed written.
 */
export class ServiceSpans {
  private readonly known = new Map<string, { first: number; last: number }>();

  /** The spans of `rows` the table must be told about (new services, earlier or later times). */
  toWrite(rows: LogRow[]): ServiceSpan[] {
    const span = new Map<string, ServiceSpan>();
    for (const r of rows) {
      const s = span.get(r.service);
      if (!s) span.set(r.service, { name: r.service, first: r.ts, last: r.ts });
      else {
        s.first = Math.min(s.first, r.ts);
        s.last = Math.max(s.last, r.ts);
      }
    }
    return [...span.values()].filter((s) => {
      const k = this.known.get(s.name);
      return !k || s.first < k.first || s.last > k.last + LAST_SEEN_SLACK_MS;
    });
  }

  /** Records spans whose upsert committed. */
  committed(spans: ServiceSpan[]): void {
    if (this.known.size + spans.length > MAX_SERVICES) this.known.clear();
    for (const s of spans) {
      const k = this.known.get(s.name);
      this.known.set(s.name, k ? { first: Math.min(k.first, s.first), last: Math.max(k.last, s.last) } : { first: s.first, last: s.last });
    }
  }
}
