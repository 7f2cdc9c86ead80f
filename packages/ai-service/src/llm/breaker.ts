// Circuit breaker in front of the provider. While the provider is down, calls are paused (the
// gRPC layer answers UNAVAILABLE with retry-after-ms) instead of each burning its retries and
// the worker's attempts against a dead endpoint.
import { systemClock, type Clock } from './clock.js';

export type CircuitState = 'closed' | 'open' | 'half_open';

export type Admission = { ok: true } | { ok: false; retryInMs: number };

export interface CircuitBreaker {
  /** Asks to send one request; in half-open state only one trial is admitted at a time. */
  admit(): Admission;
  /** The provider answered (any response that is not a 5xx). */
  success(): void;
  /** The provider failed (5xx, connection error, timeout). */
  failure(): void;
  /** An admitted request ended without telling anything (the caller gave up). */
  release(): void;
  state(): CircuitState;
  /** Milliseconds until an open circuit admits a trial (0 unless open). */
  retryInMs(): number;
}

// While a half-open trial is in flight other callers come back after this long.
const TRIAL_BUSY_RETRY_MS = 1000;

/** Creates a breaker that opens after `failures` consecutive failures for `cooldownMs`. */
export function createBreaker(opts: { failures: number; cooldownMs: number; clock?: Clock }): CircuitBreaker {
  const clock = opts.clock ?? systemClock;
  let consecutive = 0;
  let openedAt: number | undefined;
  let trialInFlight = false;

  const state = (): CircuitState => {
    if (openedAt === undefined) return 'closed';
    return clock.now() - openedAt >= opts.cooldownMs ? 'half_open' : 'open';
  };
  const retryInMs = (): number =>
    openedAt === undefined ? 0 : Math.max(0, openedAt + opts.cooldownMs - clock.now());

  return {
    admit() {
      const s = state();
      if (s === 'closed') return { ok: true };
      if (s === 'open') return { ok: false, retryInMs: retryInMs() };
      if (trialInFlight) return { ok: false, retryInMs: TRIAL_BUSY_RETRY_MS };
      trialInFlight = true;
      return { ok: true };
    },
    success() {
      consecutive = 0;
      openedAt = undefined;
      trialInFlight = false;
    },
    failure() {
      consecutive += 1;
      // A failed trial reopens at once; otherwise open after the threshold.
      if (trialInFlight || (opts.failures > 0 && consecutive >= opts.failures)) openedAt = clock.now();
      trialInFlight = false;
    },
    release() {
      trialInFlight = false;
    },
    state,
    retryInMs,
  };
}
