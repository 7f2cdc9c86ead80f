import type { AlertNotification } from '../src/modules/notify/index.js';

/** Builds a notification stating only what a test cares about. */
export function buildNotification(over: Partial<AlertNotification> = {}): AlertNotification {
  const now = new Date().toISOString();
  return {
    idempotencyKey: 'a1:firing:1', status: 'firing', alertId: 'a1', rule: { id: 'r1', name: 'DB errors' }, severity: 'high',
    labels: { service: 'user-service' }, count: 3, firstSeen: now, lastSeen: now, summary: 'Database timeouts',
    rootCause: 'pool exhausted', suggestion: 'raise the pool size', demo: false, ...over,
  };
}
