import type { Logger } from 'pino';
import type { Db, Queryable } from '../../db/types.js';
import { enqueueNotifications, type AlertNotification, type Severity } from '../notify/index.js';
import { advanceCursor } from './cursor.js';
import * as repo from './repo-engine.js';
import { listRules } from './repo-rules.js';
import { applyResults, compileRules } from './evaluate.js';
import { findSilence, matchableLabels } from './silences.js';
import { decide, type Timings } from './timing.js';
import type { Rule } from './schema.js';

/** Timing defaults for rules that leave them unset (from the ALERT_* configuration). */
export interface AlertDefaults {
  groupWaitSeconds: number;
  groupIntervalSeconds: number;
  repeatIntervalSeconds: number;
  resolveAfterMinutes: number;
}

export interface AlertEngineDeps {
  db: Db;
  log: Logger;
  defaults: AlertDefaults;
  now?: () => number;
  /** Pause between ticks of the timer (startAlertEngine only). */
  intervalMs?: number;
  /** Results evaluated per transaction; a tick takes up to `maxBatches` of them. */
  batchSize?: number;
  maxBatches?: number;
  /** How long a gap in result seqs is waited on before it is taken as permanent (see cursor.ts). */
  gapWaitMs?: number;
}

export interface TickReport {
  evaluated: number;
  fired: number;
  /** Notification rounds written (each goes to every channel of its rule). */
  notifications: number;
  resolved: number;
}

export interface AlertEngine {
  /** Evaluates new results and due alerts once; safe to call from several processes at a time. */
  runOnce(): Promise<TickReport>;
  stop(): Promise<void>;
}

/**
 * The timings of a rule, defaults filled in. An incident's alert never resolves by a quiet period: an
 * incident quiet for a while is still open, and the alert resolves when the incident does (incident.ts).
 */
export function timingsOf(rule: Rule | undefined, d: AlertDefaults, ofIncident = false): Timings {
  return {
    groupWaitMs: (rule?.group_wait_seconds ?? d.groupWaitSeconds) * 1000,
    groupIntervalMs: (rule?.group_interval_seconds ?? d.groupIntervalSeconds) * 1000,
    repeatIntervalMs: (rule?.repeat_interval_seconds ?? d.repeatIntervalSeconds) * 1000,
    resolveAfterMs: ofIncident ? Infinity : (rule?.resolve_after_minutes ?? d.resolveAfterMinutes) * 60_000,
  };
}

const DAY_MS = 86_400_000;
const DUE_LIMIT = 1000;

/** Builds the engine without a timer (tests drive runOnce with their own clock). */
export function createAlertEngine(deps: AlertEngineDeps): AlertEngine {
  const now = deps.now ?? Date.now;
  const batchSize = deps.batchSize ?? 5000;
  const maxBatches = deps.maxBatches ?? 10;
  const gapWaitMs = deps.gapWaitMs ?? 30_000;
  // One transaction per batch: the cursor, the alert state and the outbox rows commit together, so a
  // crash re-runs the batch from the old cursor and repeated idempotency keys send nothing twice.
  const batch = (report: TickReport): Promise<boolean> =>
    deps.db.transaction(async (tx) => {
      if (!(await repo.tryEngineLock(tx))) return false;
      const t = now();
      const state = await repo.readCursor(tx);
      const rows = await repo.readResults(tx, state.cursor, batchSize);
      const { take, next } = advanceCursor(state, rows.map((r) => Number(r.seq)), t, gapWaitMs);
      const rules = compileRules(await listRules(tx, true), deps.log);
      report.fired += await applyResults(tx, rules, rows.slice(0, take), t);
      report.evaluated += take;
      await repo.saveCursor(tx, next, t);
      await repo.deletePending(tx, undefined, t - DAY_MS);
      await flushDue(tx, deps.defaults, t, report);
      return rows.length === batchSize && take === rows.length;
    });
  return {
    async runOnce() {
      const report: TickReport = { evaluated: 0, fired: 0, notifications: 0, resolved: 0 };
      for (let i = 0; i < maxBatches && (await batch(report)); i++);
      return report;
    },
    async stop() {},
  };
}

/** Starts the engine on a timer; ticks never overlap, and a failed tick is logged and retried next time. */
export function startAlertEngine(deps: AlertEngineDeps): AlertEngine {
  const engine = createAlertEngine(deps);
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = (): void => {
    running = engine
      .runOnce()
      .catch((err: unknown) => deps.log.warn({ err }, 'alert evaluation failed; retrying at the next tick'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, deps.intervalMs ?? 1000);
      });
  };
  timer = setTimeout(tick, deps.intervalMs ?? 1000);
  return {
    runOnce: () => engine.runOnce(),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/** Looks at every firing alert whose time has come: notify, mute, or resolve it, and schedule the next look. */
async function flushDue(tx: Queryable, defaults: AlertDefaults, t: number, report: TickReport): Promise<void> {
  const due = await repo.dueAlerts(tx, t, DUE_LIMIT);
  if (due.length === 0) return;
  const rules = new Map((await listRules(tx)).map((r) => [r.id, r]));
  const silences = await repo.activeSilences(tx, t);
  for (const a of due) {
    const rule = a.rule_id === null ? undefined : rules.get(a.rule_id);
    const silence = findSilence(silences, matchableLabels(a));
    // A disabled rule's alerts run out their quiet period without sending anything.
    const mutedUntil = silence?.ends_at ?? (rule?.enabled ? undefined : Infinity);
    const timings = timingsOf(rule, defaults, a.labels.incident !== undefined);
    const clock = { startedAt: a.started_at, lastMatchAt: a.last_match_at, lastNotifiedAt: a.last_notified_at, rounds: a.rounds, count: a.count, notifiedCount: a.notified_count, acked: a.acked };
    const d = decide(clock, timings, t, mutedUntil);
    const s = { rounds: a.rounds, notifiedCount: a.notified_count, lastNotifiedAt: a.last_notified_at, silencedBy: silence?.id ?? null, resolvedAt: null as number | null, dueAt: null as number | null };
    if (silence && a.silenced_by !== silence.id) await repo.addHistory(tx, a.id, t, 'silenced', { silence_id: silence.id });
    if (!silence && a.silenced_by !== null) await repo.addHistory(tx, a.id, t, 'unsilenced', { silence_id: a.silenced_by });
    if (d.kind === 'resolve') {
      s.resolvedAt = t;
      report.resolved++;
      await repo.addHistory(tx, a.id, t, 'resolved', { count: a.count });
      if (rule?.notify_resolved && mutedUntil === undefined && a.rounds > 0) {
        await send(tx, a, rule, 'resolved', a.rounds, t);
        report.notifications++;
      }
    } else if (d.kind === 'notify') {
      s.rounds++;
      s.notifiedCount = a.count;
      s.lastNotifiedAt = t;
      await send(tx, a, rule!, 'firing', s.rounds, t);
      report.notifications++;
      const next = decide({ ...clock, rounds: s.rounds, notifiedCount: a.count, lastNotifiedAt: t }, timings, t);
      s.dueAt = next.kind === 'wait' ? next.dueAt : t;
    } else s.dueAt = d.dueAt;
    await repo.saveAlertState(tx, a.id, s);
  }
}

/**
 * Writes one notification round to the outbox (in the caller's transaction) and to the history. An
 * incident's alert links to the incident's page, where its story and evidence are.
 */
export async function send(tx: Queryable, a: repo.EngineAlert, rule: Rule, status: 'firing' | 'resolved', round: number, t: number): Promise<void> {
  const n: AlertNotification = {
    idempotencyKey: `${a.id}:${status}:${round}`,
    status,
    alertId: a.id,
    rule: { id: rule.id, name: rule.name },
    severity: a.severity as Severity,
    labels: a.labels,
    count: a.count,
    firstSeen: new Date(a.first_seen).toISOString(),
    lastSeen: new Date(a.last_seen).toISOString(),
    summary: a.summary,
    rootCause: a.root_cause,
    suggestion: a.suggestion,
    ...(a.sample_message === null ? {} : { sampleMessage: a.sample_message }),
    demo: a.demo,
    ...(a.labels.incident === undefined ? {} : { path: `/incidents/${encodeURIComponent(a.labels.incident)}` }),
  };
  const queued = await enqueueNotifications(tx, rule.channel_ids, n, t);
  await repo.addHistory(tx, a.id, t, 'notified', { status, round, count: a.count, channels: queued });
}
