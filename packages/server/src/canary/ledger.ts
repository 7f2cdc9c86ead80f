// What the canary wrote and what it has seen of it since: the counts behind its summary and metrics.

/** One entry the canary wrote. Times are Date.now() milliseconds of this process. */
export interface Entry {
  seq: number;
  eventId: string;
  writtenAt: number;
  ackedAt?: number;
  /** Distinct log ids the read API returned for this event id: two or more is a duplicate. */
  logIds: Set<string>;
  readAt?: number;
  analysedAt?: number;
  /** The analysis's own analysed_at as first seen: a different one later means it was analysed again. */
  analysisStamp?: string;
  skipped?: boolean;
  missing?: boolean;
}

/** A log as GET /api/v1/logs returns it, reduced to what the canary checks. */
export interface ReadRow {
  id: string;
  event_id: string | null;
  analysis_status: 'done' | 'pending' | 'skipped';
  analysis: { analysed_at: string } | null;
}

/** Where counts go besides the ledger (the Prometheus metrics); every method is optional work. */
export interface LedgerSink {
  count(what: CountName, n?: number): void;
  refused(op: 'write' | 'read', status: number, retryAfter: boolean): void;
  error(op: 'write' | 'read', reason: string): void;
  latency(kind: 'read' | 'analysis', seconds: number): void;
  missingNow(n: number): void;
}

export type CountName = 'written' | 'acked' | 'rejected' | 'read' | 'analysed' | 'skipped' | 'missing' | 'late' | 'duplicated' | 'reanalysed' | 'unexpected';

/** The canary's totals at one moment. */
export interface CanarySummary {
  runId: string;
  written: number;
  acked: number;
  rejected: number;
  read: number;
  analysed: number;
  skipped: number;
  /** Acknowledged entries not readable now (declared after the grace period). */
  missing: number;
  /** Entries found only after they had been declared missing. */
  late: number;
  duplicated: number;
  reanalysed: number;
  unexpected: number;
  /** Refused requests (429/503) by `op status`, and how many of them came without Retry-After. */
  refused: Record<string, number>;
  refusedWithoutRetryAfter: number;
  /** Other failed requests by `op reason` (a status code, network, timeout). */
  errors: Record<string, number>;
  /** Acknowledged entries not yet read, and read ones not yet analysed (nor skipped). */
  unread: number;
  unanalysed: number;
  p50WriteToRead: number | undefined;
  p95WriteToRead: number | undefined;
  p50WriteToAnalysis: number | undefined;
  p95WriteToAnalysis: number | undefined;
}

const SAMPLES = 10_000;

function percentile(sorted: number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** The canary's book: entries by event id and the counters; the writer, reader and verifier report here. */
export class Ledger {
  readonly entries = new Map<string, Entry>();
  private readonly counts: Record<CountName, number> = {
    written: 0, acked: 0, rejected: 0, read: 0, analysed: 0, skipped: 0, missing: 0, late: 0, duplicated: 0, reanalysed: 0, unexpected: 0,
  };
  private readonly refusals: Record<string, number> = {};
  private refusedBare = 0;
  private readonly errors: Record<string, number> = {};
  private readonly latencies = { read: [] as number[], analysis: [] as number[] };
  private missingNow = 0;

  constructor(readonly runId: string, private readonly sink?: LedgerSink) {}

  private add(what: CountName, n = 1): void {
    this.counts[what] += n;
    this.sink?.count(what, n);
  }

  private setMissing(delta: number): void {
    this.missingNow += delta;
    this.sink?.missingNow(this.missingNow);
  }

  private sample(kind: 'read' | 'analysis', ms: number): void {
    const s = Math.max(0, ms) / 1000;
    const list = this.latencies[kind];
    list.push(s);
    if (list.length > SAMPLES) list.shift();
    this.sink?.latency(kind, s);
  }

  /** Records a new entry about to be written. */
  written(entry: Entry): void {
    this.entries.set(entry.eventId, entry);
    this.add('written');
  }

  /** The server acknowledged these entries (stored now or before: a resend answered `duplicate`). */
  acked(entries: Entry[], at: number): void {
    for (const e of entries) e.ackedAt ??= at;
    this.add('acked', entries.length);
  }

  /** The server refused these entries for good (a per-entry rejection): they are not the server's to keep. */
  rejected(entries: Entry[]): void {
    for (const e of entries) this.entries.delete(e.eventId);
    this.add('rejected', entries.length);
  }

  refused(op: 'write' | 'read', status: number, retryAfter: boolean): void {
    const key = `${op} ${status}`;
    this.refusals[key] = (this.refusals[key] ?? 0) + 1;
    if (!retryAfter) this.refusedBare++;
    this.sink?.refused(op, status, retryAfter);
  }

  failed(op: 'write' | 'read', reason: string): void {
    const key = `${op} ${reason}`;
    this.errors[key] = (this.errors[key] ?? 0) + 1;
    this.sink?.error(op, reason);
  }

  /** One row of a read: first sight, a second log id for the same event, its analysis. */
  observe(row: ReadRow, now: number): void {
    const e = row.event_id === null ? undefined : this.entries.get(row.event_id);
    if (!e) {
      if (row.event_id?.startsWith(`canary-${this.runId}-`)) this.add('unexpected');
      return;
    }
    e.logIds.add(row.id);
    if (e.logIds.size === 2) this.add('duplicated');
    if (e.readAt === undefined) {
      e.readAt = now;
      this.add('read');
      this.sample('read', now - e.writtenAt);
    }
    if (e.missing) this.found(e);
    if (row.analysis_status === 'skipped' && !e.skipped) {
      e.skipped = true;
      this.add('skipped');
    }
    if (row.analysis_status !== 'done' || !row.analysis) return;
    if (e.analysisStamp === undefined) {
      e.analysisStamp = row.analysis.analysed_at;
      e.analysedAt = now;
      this.add('analysed');
      const server = Date.parse(row.analysis.analysed_at);
      this.sample('analysis', (Number.isFinite(server) ? Math.min(server, now) : now) - e.writtenAt);
    } else if (e.analysisStamp !== row.analysis.analysed_at) {
      e.analysisStamp = row.analysis.analysed_at;
      this.add('reanalysed');
    }
  }

  private found(e: Entry): void {
    e.missing = false;
    this.setMissing(-1);
    this.add('late');
  }

  /** Declares an acknowledged entry missing (unless it already is). */
  lost(e: Entry): void {
    if (e.missing) return;
    e.missing = true;
    this.setMissing(1);
    this.add('missing');
  }

  /** Marks acknowledged entries still unread past the grace period as missing. */
  overdue(now: number, graceMs: number): void {
    for (const e of this.entries.values()) {
      if (e.ackedAt !== undefined && e.readAt === undefined && now - e.ackedAt > graceMs) this.lost(e);
    }
  }

  /** Forgets settled entries written before `before` (counts stay), so a canary can run forever. */
  prune(before: number): void {
    for (const [id, e] of this.entries) {
      if (e.writtenAt >= before) break;
      if (e.readAt !== undefined && (e.analysisStamp !== undefined || e.skipped) && !e.missing) this.entries.delete(id);
    }
  }

  /** The counts now, with latency percentiles over the last samples. */
  summary(): CanarySummary {
    let unread = 0;
    let unanalysed = 0;
    for (const e of this.entries.values()) {
      if (e.ackedAt === undefined) continue;
      if (e.readAt === undefined) unread++;
      else if (e.analysisStamp === undefined && !e.skipped) unanalysed++;
    }
    const r = [...this.latencies.read].sort((a, b) => a - b);
    const a = [...this.latencies.analysis].sort((x, y) => x - y);
    const { missing: _declared, ...counts } = this.counts;
    return {
      runId: this.runId, ...counts, missing: this.missingNow,
      refused: { ...this.refusals }, refusedWithoutRetryAfter: this.refusedBare, errors: { ...this.errors },
      unread, unanalysed,
      p50WriteToRead: percentile(r, 50), p95WriteToRead: percentile(r, 95),
      p50WriteToAnalysis: percentile(a, 50), p95WriteToAnalysis: percentile(a, 95),
    };
  }
}

const secs = (v: number | undefined): string => (v === undefined ? '-' : `${v.toFixed(1)}s`);

/** The one-line summary the command prints periodically and at exit. */
export function summaryLine(s: CanarySummary): string {
  const refused = Object.values(s.refused).reduce((n, v) => n + v, 0);
  const errors = Object.values(s.errors).reduce((n, v) => n + v, 0);
  return `canary: written ${s.written} acked ${s.acked} read ${s.read} missing ${s.missing} duplicated ${s.duplicated} late ${s.late} ` +
    `analysed ${s.analysed} refused ${refused} errors ${errors} p50 write→read ${secs(s.p50WriteToRead)} p95 write→read ${secs(s.p95WriteToRead)} ` +
    `p50 write→analysis ${secs(s.p50WriteToAnalysis)} p95 write→analysis ${secs(s.p95WriteToAnalysis)}`;
}
