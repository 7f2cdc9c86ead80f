// Reads the canary's entries back through GET /api/v1/logs: a frequent scan over the entries still
// unsettled (unread or unanalysed), and a periodic verify of everything retained, which notices a
// row that disappears after it was read and a duplicate stored late.
import type { CanaryOptions } from './options.js';
import { send, sleep } from './http.js';
import type { Ledger, ReadRow } from './ledger.js';

interface Page {
  logs: ReadRow[];
  next_cursor: string | null;
}

/** Scans never reach further back than this, so a canary on a server without analysis stays cheap. */
const MAX_SCAN_BACK_MS = 10 * 60_000;
/** Clock skew between this host and the server: scans reach a little into the future. */
const SKEW_MS = 60_000;
const MAX_PAGES = 200;

/** Reads this run's entries over [from, to] (entry timestamps); undefined when a request did not succeed. */
export class Reader {
  constructor(private readonly o: CanaryOptions, private readonly ledger: Ledger, private readonly signal: AbortSignal) {}

  /** All rows of this run with timestamps in [from, to), page by page; undefined when a page could not be read. */
  async scan(from: number, to: number): Promise<ReadRow[] | undefined> {
    const rows: ReadRow[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const q = new URLSearchParams({
        service: this.o.service, q: this.o.runId, from: new Date(from).toISOString(), to: new Date(to).toISOString(), order: 'asc', limit: '1000',
      });
      if (cursor) q.set('cursor', cursor);
      const out = await send<Page>(`${this.o.url}/api/v1/logs?${q.toString()}`, this.o.readKey, this.o.requestTimeoutMs, { method: 'GET' });
      if (out.kind === 'refused') {
        this.ledger.refused('read', out.status, out.retryAfterMs !== undefined);
        await sleep(Math.min(60_000, out.retryAfterMs ?? 1000), this.signal);
        return undefined;
      }
      if (out.kind === 'failed') {
        this.ledger.failed('read', out.reason);
        return undefined;
      }
      rows.push(...out.body.logs.filter((r) => r.event_id?.startsWith(`canary-${this.o.runId}-`)));
      cursor = out.body.next_cursor;
      if (!cursor || this.signal.aborted) break;
    }
    return rows;
  }

  /** Where the frequent scan starts: the oldest acknowledged entry not yet settled, else the newest written. */
  private scanFrom(now: number): number {
    let from: number | undefined;
    let newest = now;
    for (const e of this.ledger.entries.values()) {
      newest = e.writtenAt;
      if (from === undefined && e.ackedAt !== undefined && (e.readAt === undefined || (e.analysisStamp === undefined && !e.skipped))) from = e.writtenAt;
    }
    return Math.max(now - MAX_SCAN_BACK_MS, (from ?? newest) - 1000);
  }

  /** One frequent scan: records what it saw, then declares entries overdue past the grace period. */
  async tick(): Promise<void> {
    const now = Date.now();
    const rows = await this.scan(this.scanFrom(now), now + SKEW_MS);
    if (!rows) return;
    const seen = Date.now();
    for (const r of rows) this.ledger.observe(r, seen);
    this.ledger.overdue(seen, this.o.graceMs);
  }

  /**
   * Looks up every retained acknowledged entry again: one acknowledged before `graceMs` ago that is
   * not there now is missing, even if it was read before. Returns false when the scan did not complete.
   */
  async verify(graceMs = this.o.graceMs): Promise<boolean> {
    const first = this.ledger.entries.values().next().value;
    if (!first) return true;
    const started = Date.now();
    const rows = await this.scan(first.writtenAt - 1000, started + SKEW_MS);
    if (!rows) return false;
    const present = new Set<string>();
    const seen = Date.now();
    for (const r of rows) {
      this.ledger.observe(r, seen);
      if (r.event_id) present.add(r.event_id);
    }
    for (const e of this.ledger.entries.values()) {
      if (e.ackedAt !== undefined && started - e.ackedAt > graceMs && !present.has(e.eventId)) this.ledger.lost(e);
    }
    return true;
  }
}
