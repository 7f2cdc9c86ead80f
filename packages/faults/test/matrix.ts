// One row of the fault matrix: run the canary against the stack, inject a fault, end it, and count
// what was acknowledged, lost, analysed twice, notified twice and refused, from the canary and from
// the database itself.
import pg from 'pg';
import { parseCanaryOptions, startCanary, type CanarySummary } from '../../server/src/canary/index.js';
import type { HttpReceiver } from '../../server/test/receivers/http.js';

export const SERVICE = 'canary-faults';

/** A fault: what breaks, how long it stays broken, and what ends it. */
export interface Fault {
  name: string;
  inject(): Promise<void> | void;
  holdMs: number;
  heal(): Promise<void> | void;
}

/** What the matrix prints and asserts for one fault. */
export interface Row {
  fault: string;
  summary: CanarySummary;
  /** Acknowledged logs not stored (by the database) and logs stored twice for one event id. */
  lost: number;
  storedTwice: number;
  /** Stored logs without an analysis result once the fault ended and the drain finished. */
  unanalysed: number;
  /** Analyses beyond one per log: extra result rows, plus results the canary saw change. */
  doubledAnalyses: number;
  notifications: number;
  doubledNotifications: number;
  refused: number;
  /** Refusals that were 429/503 with Retry-After; anything else the API answered (500, 401, 400…) by status. */
  refusedOk: boolean;
  badStatuses: Record<string, number>;
  recoveredS: number;
  /** Evidence that the fault bit: the canary's failed requests (connection refused, timeouts) and LLM calls answered with an error or never. */
  canaryErrors: number;
  llmFailed: number;
}

export interface Context {
  baseUrl: string;
  keys: { ingest: string; read: string };
  /** The suite's own database (a fresh connection per look: PostgreSQL restarts under it). */
  databaseUrl: string;
  receiver: HttpReceiver;
  llm: { stats(): { calls: number; byStatus: Record<string, number> } };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function storedCounts(url: string, runId: string): Promise<{ rows: number; events: number; results: number; resultLogs: number }> {
  const like = `canary-${runId}-%`;
  const db = new pg.Client(url);
  await db.connect();
  const r = await db.query<{ rows: string; events: string; results: string; result_logs: string }>(
    `SELECT (SELECT count(*) FROM logs WHERE event_id LIKE $1)::text AS rows,
            (SELECT count(DISTINCT event_id) FROM logs WHERE event_id LIKE $1)::text AS events,
            (SELECT count(*) FROM analysis_results r JOIN logs l ON l.id = r.log_id WHERE l.event_id LIKE $1)::text AS results,
            (SELECT count(DISTINCT r.log_id) FROM analysis_results r JOIN logs l ON l.id = r.log_id WHERE l.event_id LIKE $1)::text AS result_logs`,
    [like],
  ).finally(() => db.end());
  const row = r.rows[0]!;
  return { rows: Number(row.rows), events: Number(row.events), results: Number(row.results), resultLogs: Number(row.result_logs) };
}

/** Deliveries by idempotency key received since index `from`. */
function deliveries(receiver: HttpReceiver, from: number): { total: number; doubled: number } {
  const byKey = new Map<string, number>();
  for (const r of receiver.requests.slice(from)) {
    const key = String(r.headers['x-logsage-idempotency-key'] ?? '');
    if (r.headers['x-logsage-event'] === 'alert') byKey.set(key, (byKey.get(key) ?? 0) + 1);
  }
  return { total: [...byKey.values()].reduce((n, v) => n + v, 0), doubled: [...byKey.values()].reduce((n, v) => n + v - 1, 0) };
}

/** LLM calls so far, and those answered 200. */
function llmOk(ctx: Context): { calls: number; ok: number } {
  const s = ctx.llm.stats();
  return { calls: s.calls, ok: s.byStatus['200'] ?? 0 };
}

/** Runs the canary through one fault and measures it (assertions are the caller's). */
export async function runFault(ctx: Context, fault: Fault, runId: string): Promise<Row> {
  const o = parseCanaryOptions(
    ['--url', ctx.baseUrl, '--key', ctx.keys.ingest, '--read-key', ctx.keys.read, '--rate', '20', '--run-id', runId, '--service', SERVICE,
      '--grace', '30s', '--read-interval', '500ms', '--verify-interval', '5s', '--metrics-port', 'off', '--summary-interval', '0', '--drain', '90s'],
    {},
  );
  const noticesFrom = ctx.receiver.requests.length;
  const llmBefore = llmOk(ctx);
  const canary = await startCanary(o);
  await sleep(3000);
  await fault.inject();
  await sleep(fault.holdMs);
  await fault.heal();
  const healed = Date.now();
  await sleep(2000);
  const summary = await canary.stop();
  const recoveredS = (Date.now() - healed) / 1000;
  // Notifications of this run's results may still be in the outbox: give the worker a moment.
  await sleep(2000);
  const stored = await storedCounts(ctx.databaseUrl, runId);
  const notices = deliveries(ctx.receiver, noticesFrom);
  const badStatuses = Object.fromEntries(Object.entries(summary.errors).filter(([k]) => /\d{3}$/.test(k)));
  const refused = Object.values(summary.refused).reduce((n, v) => n + v, 0);
  const llmAfter = llmOk(ctx);
  return {
    fault: fault.name,
    summary,
    lost: summary.acked - stored.events,
    storedTwice: stored.rows - stored.events,
    unanalysed: stored.rows - stored.resultLogs,
    doubledAnalyses: stored.results - stored.resultLogs + summary.reanalysed,
    notifications: notices.total,
    doubledNotifications: notices.doubled,
    refused,
    refusedOk: summary.refusedWithoutRetryAfter === 0 && Object.keys(summary.refused).every((k) => /(429|503)$/.test(k)),
    badStatuses,
    recoveredS,
    canaryErrors: Object.values(summary.errors).reduce((n, v) => n + v, 0),
    llmFailed: llmAfter.calls - llmAfter.ok - (llmBefore.calls - llmBefore.ok),
  };
}

/** The matrix as a plain table. */
export function formatTable(rows: Row[]): string {
  const head = ['fault', 'acked', 'lost', 'doubled analyses', 'doubled notifications', 'refused (all 429|503 + Retry-After?)', 'recovered in s', 'canary errors', 'LLM failed/hung'];
  const body = rows.map((r) => [
    r.fault, String(r.summary.acked), String(r.lost + r.summary.missing > 0 ? `${r.lost} (canary ${r.summary.missing})` : 0),
    String(r.doubledAnalyses), `${r.doubledNotifications} of ${r.notifications}`,
    `${r.refused} (${r.refusedOk && Object.keys(r.badStatuses).length === 0 ? 'yes' : `NO ${JSON.stringify({ ...r.summary.refused, ...r.badStatuses })}`})`,
    r.recoveredS.toFixed(1), String(r.canaryErrors), String(r.llmFailed),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}
