// Requests-per-minute and tokens-per-minute limiter shared by every LLM call of the process.
// Providers on low tiers answer 429 as soon as either budget is spent; waiting here first keeps
// calls from burning retries, and a 429's Retry-After pauses every caller, not only the one
// that saw it.
import { systemClock, type Clock } from './clock.js';

const WINDOW_MS = 60_000;

interface Entry {
  at: number;
  tokens: number;
}

/** A granted slot; settle it with the real token count once the response is known. */
export interface Reservation {
  settle(actualTokens: number): void;
}

export interface RateLimiter {
  /** Waits until one more request of about `tokens` tokens fits both budgets. */
  acquire(tokens: number): Promise<Reservation>;
  /** Holds every caller until `untilMs` (a provider's Retry-After). */
  pauseUntil(untilMs: number): void;
  /** Milliseconds a request of `tokens` tokens would wait now (0 = none). */
  delayFor(tokens: number): number;
}

/** Creates a sliding-window limiter; 0 disables a budget. */
export function createLimiter(opts: { rpm: number; tpm: number; clock?: Clock }): RateLimiter {
  const clock = opts.clock ?? systemClock;
  const entries: Entry[] = [];
  let pausedUntil = 0;
  // Callers queue in arrival order, so a large request is not starved by a stream of small ones.
  let tail: Promise<unknown> = Promise.resolve();

  const delayFor = (tokens: number): number => {
    const now = clock.now();
    while (entries.length > 0 && (entries[0]?.at ?? 0) + WINDOW_MS <= now) entries.shift();
    let wait = Math.max(0, pausedUntil - now);
    if (opts.rpm > 0 && entries.length >= opts.rpm) {
      const oldest = entries[entries.length - opts.rpm];
      wait = Math.max(wait, (oldest?.at ?? now) + WINDOW_MS - now);
    }
    if (opts.tpm > 0 && entries.length > 0) {
      let used = entries.reduce((sum, e) => sum + e.tokens, 0);
      // A request larger than the whole budget goes alone into an empty window, never forever.
      for (const e of entries) {
        if (used + tokens <= opts.tpm) break;
        used -= e.tokens;
        wait = Math.max(wait, e.at + WINDOW_MS - now);
      }
    }
    return wait;
  };

  const waitAndTake = async (tokens: number): Promise<Reservation> => {
    for (let wait = delayFor(tokens); wait > 0; wait = delayFor(tokens)) await clock.sleep(wait);
    const entry: Entry = { at: clock.now(), tokens };
    entries.push(entry);
    return {
      settle(actual) {
        entry.tokens = Math.max(0, actual);
      },
    };
  };

  return {
    acquire(tokens) {
      const granted = tail.then(() => waitAndTake(tokens));
      tail = granted.catch(() => undefined);
      return granted;
    },
    pauseUntil(untilMs) {
      pausedUntil = Math.max(pausedUntil, untilMs);
    },
    delayFor,
  };
}
