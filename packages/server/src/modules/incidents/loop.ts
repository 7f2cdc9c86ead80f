// The incident loop (worker role): every tick, judges each closed minute not judged yet, oldest
// first, each in one transaction with the cursor under an advisory try-lock (so one process judges
// a minute, once), then writes the stories that became due. Ticks never overlap; a failing tick is
// logged and the next one starts where the cursor is.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db, Queryable } from '../../db/types.js';
import { oldestUnassignedTs, type BudgetGate } from '../analysis/index.js';
import { detectSignals } from './detect.js';
import { advanceIncidents } from './grouping.js';
import { minuteInput, type InputCache } from './input.js';
import { baseUpdate, persistStep, storyFields, type AlertIncident, type MinuteOutcome } from './persist.js';
import { loadGroupingState, pruneIncidents, readCursor, tryLockIncidents, writeCursor } from './repo-state.js';
import type { IncidentSettings } from './settings.js';
import { writeDueStories, type IncidentAi, type StoryReport } from './story.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** A fresh server judges its recent data, never the distant past. */
const FIRST_LOOKBACK_MINUTES = 10;

export interface IncidentLoopDeps {
  db: Db;
  ai: IncidentAi;
  budget: BudgetGate;
  log: Logger;
  settings: IncidentSettings;
  /** The clock (tests move it); default Date.now. */
  now?: () => number;
  /** Alerting's incident rules, told of every opened, grown, storied and resolved incident. */
  alert: AlertIncident;
  /** Minutes judged per tick at most (catching up after a pause). */
  catchUpMinutes?: number;
}

export interface IncidentTick extends MinuteOutcome {
  /** Minutes judged in this tick. */
  minutes: number;
  /** The next minute to judge after the tick (ms), when known. */
  nextMinuteMs: number | undefined;
  stories: StoryReport;
  /** Resolved incidents deleted past the retention window. */
  pruned: number;
}

export interface IncidentLoop {
  /** One tick at `nowMs` (default: the clock): judge the minutes due, then write due stories. */
  runOnce(nowMs?: number): Promise<IncidentTick>;
  /** Starts the timer (idempotent). */
  start(): void;
  /** Stops the timer and waits for a tick in progress. */
  stop(): Promise<void>;
}

const newId = (prefix: 'inc' | 'sig'): string => `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
const floorMinute = (ms: number): number => ms - (((ms % MINUTE) + MINUTE) % MINUTE);

/** Builds the loop without starting it (tests call runOnce with their own clock). */
export function createIncidentLoop(d: IncidentLoopDeps): IncidentLoop {
  const clock = d.now ?? Date.now;
  let chain: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let stopped = true;
  const cache: InputCache = {};
  let prunedAt = -Infinity;

  const tick = async (nowMs: number): Promise<IncidentTick> => {
    const out: IncidentTick = { minutes: 0, nextMinuteMs: undefined, opened: [], grew: [], resolved: [], storiesDue: [], stories: { written: 0, failed: 0, held: 0 }, pruned: 0 };
    await judgeDue(d, nowMs, cache, out);
    // Resolved incidents leave with the logs they describe, checked hourly.
    if (nowMs - prunedAt >= 3_600_000) {
      prunedAt = nowMs;
      out.pruned = await pruneIncidents(d.db, nowMs - d.settings.retentionDays * DAY);
    }
    if (d.settings.grouping.maxStories > 0) {
      out.stories = await writeDueStories({
        db: d.db, ai: d.ai, budget: d.budget, log: d.log,
        onStory: async (tx, c, story, at) => {
          // A resolved incident's alert is already resolved: its late story is for the page only.
          if (c.state === 'open') await d.alert(tx, { ...baseUpdate({ ...c, resolvedMs: null }, story.title), ...storyFields(story) }, at);
        },
      }, nowMs);
    }
    return out;
  };

  // Ticks run one after another, whoever asks (the timer or a test).
  const runOnce = (nowMs = clock()): Promise<IncidentTick> => {
    const run = chain.then(() => tick(nowMs));
    chain = run.catch(() => undefined);
    return run;
  };

  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      runOnce()
        .catch((err: unknown) => d.log.warn({ err }, 'incident loop tick failed; retrying next tick'))
        .finally(schedule);
    }, d.settings.tickMs);
  };

  return {
    runOnce,
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await chain;
    },
  };
}

/** Judges the minutes due, oldest first, at most catchUpMinutes, each in its own transaction; adds what changed to `out`. */
async function judgeDue(d: IncidentLoopDeps, nowMs: number, cache: InputCache, out: IncidentTick): Promise<void> {
  try {
    while (out.minutes < (d.catchUpMinutes ?? 60)) {
      const r = await d.db.transaction((tx) => judgeNextMinute(tx, d, nowMs, cache));
      out.nextMinuteMs = r.nextMinuteMs;
      if (!r.outcome) break;
      out.minutes++;
      out.opened.push(...r.outcome.opened);
      out.grew.push(...r.outcome.grew);
      out.resolved.push(...r.outcome.resolved);
      out.storiesDue.push(...r.outcome.storiesDue);
    }
  } catch (err) {
    // The minute stays at the cursor for the next tick; stories already due still get written.
    d.log.warn({ err, minute: out.nextMinuteMs }, 'incident detection failed; the minute is judged again next tick');
  }
}

/** Judges the minute at the cursor when it is due and no other process holds the loop; moves the cursor. */
async function judgeNextMinute(tx: Queryable, d: IncidentLoopDeps, nowMs: number, cache: InputCache): Promise<{ outcome?: MinuteOutcome; nextMinuteMs?: number }> {
  if (!(await tryLockIncidents(tx))) return {};
  const stored = await readCursor(tx);
  const minuteMs = stored ?? floorMinute(nowMs) - FIRST_LOOKBACK_MINUTES * MINUTE;
  if (stored === undefined) await writeCursor(tx, minuteMs);
  if (nowMs < minuteMs + MINUTE + d.settings.settleMs) return { nextMinuteMs: minuteMs };
  // The minute's counts are complete only once the assign pass has reached its lines: behind a
  // backlog, judging now would see every template of the minute as silent (and open false drops).
  const oldest = await oldestUnassignedTs(tx);
  if (oldest !== null && oldest < minuteMs + MINUTE) return { nextMinuteMs: minuteMs };
  const input = await minuteInput(tx, minuteMs, d.settings.signal, cache);
  const observations = detectSignals(input, d.settings.signal);
  const before = await loadGroupingState(tx);
  const step = advanceIncidents(before, observations, minuteMs, d.settings.grouping, newId);
  const outcome = await persistStep(tx, before, step, minuteMs, nowMs, d.alert, d.settings.language);
  await writeCursor(tx, minuteMs + MINUTE);
  return { outcome, nextMinuteMs: minuteMs + MINUTE };
}
