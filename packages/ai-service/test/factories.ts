// Test factories: state only what a test cares about (GUIDE §4.9).
import type { Clock } from '../src/llm/clock.js';
import type { LogItemInput } from '../src/types.js';

let seq = 0;

/** A log item with sensible defaults. */
export function buildLog(over: Partial<LogItemInput> = {}): LogItemInput {
  seq += 1;
  return {
    id: `log-${seq}`,
    timestamp: '2026-01-02T03:04:05Z',
    level: 'error',
    service: 'user-service',
    message: `Database connection failed: timeout after ${seq}s`,
    template: 'Database connection failed: timeout after <*>s',
    occurrences: 3,
    attributes: { host: 'web-01' },
    ...over,
  };
}

/** `n` log items. */
export function buildLogs(n: number, over: Partial<LogItemInput> = {}): LogItemInput[] {
  return Array.from({ length: n }, () => buildLog(over));
}

/** A clock whose sleeps advance time at once and are recorded. */
export function fakeClock(start = 1_000_000): Clock & { sleeps: number[]; advance(ms: number): void } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    advance(ms) {
      now += ms;
    },
    async sleep(ms) {
      sleeps.push(ms);
      now += ms;
      await Promise.resolve();
    },
  };
}
