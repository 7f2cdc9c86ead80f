/** Notification timing of one alert group, in milliseconds (Alertmanager's meanings). */
export interface Timings {
  /** Wait after a group starts firing before its first notification, so a burst arrives as one message. */
  groupWaitMs: number;
  /** Wait after a notification before notifying new results of the same group. */
  groupIntervalMs: number;
  /** Wait after a notification before re-sending an unchanged firing alert. */
  repeatIntervalMs: number;
  /** Quiet period without a new matching result after which the alert resolves. */
  resolveAfterMs: number;
}

/** What the timing needs to know about a firing alert (times in epoch ms). */
export interface AlertClock {
  startedAt: number;
  lastMatchAt: number;
  lastNotifiedAt: number | null;
  /** Firing notifications sent so far. */
  rounds: number;
  count: number;
  /** count as of the last notification. */
  notifiedCount: number;
  acked: boolean;
}

export type Decision = { kind: 'resolve' } | { kind: 'notify' } | { kind: 'wait'; dueAt: number };

/** When the next firing notification is due; Infinity when none will be (acknowledged, nothing new). */
export function nextNotificationAt(a: AlertClock, t: Timings): number {
  if (a.rounds === 0 || a.lastNotifiedAt === null) return a.startedAt + t.groupWaitMs;
  if (a.count > a.notifiedCount) return a.lastNotifiedAt + t.groupIntervalMs;
  // Acknowledging means someone is on it: stop reminding until something new arrives.
  if (a.acked) return Infinity;
  return a.lastNotifiedAt + t.repeatIntervalMs;
}

/**
 * Decides what a firing alert needs at `now`. A silenced alert is never notified; `mutedUntil` is
 * when its silence ends, so the alert is looked at again then.
 */
export function decide(a: AlertClock, t: Timings, now: number, mutedUntil?: number): Decision {
  const resolveAt = a.lastMatchAt + t.resolveAfterMs;
  if (now >= resolveAt) return { kind: 'resolve' };
  if (mutedUntil !== undefined) return { kind: 'wait', dueAt: Math.min(resolveAt, mutedUntil) };
  const notifyAt = nextNotificationAt(a, t);
  if (now >= notifyAt) return { kind: 'notify' };
  return { kind: 'wait', dueAt: Math.min(resolveAt, notifyAt) };
}
