// Time as a dependency, so the limiter, the breaker and the retry loop can be tested with a
// fake clock instead of real waiting.

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The wall clock and real timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};
