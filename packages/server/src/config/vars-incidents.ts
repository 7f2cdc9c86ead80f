import { BadValue, bool, int, type VarSpec } from './spec.js';

/** A decimal number in [min, max]. */
const decimal = (min: number, max: number) => (raw: string): number => {
  if (!/^\s*\d+(\.\d+)?\s*$/.test(raw)) throw new BadValue(`must be a number such as 4 or 2.5, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new BadValue(`must be between ${min} and ${max}, got ${n}`);
  return n;
};

/** Incidents: signals in the per-minute counts, grouped into incidents with an LLM story (worker role). */
export const INCIDENT_VARS = {
  INCIDENTS_ENABLED: {
    doc: 'Find incidents (new error templates, bursts, silences, error-share jumps) in the per-minute counts and ask the LLM for each one\'s story (worker role)',
    default: true,
    parse: bool,
  },
  INCIDENT_TICK_MS: {
    doc: 'How often the worker looks for closed minutes to judge, in milliseconds',
    default: 15_000,
    parse: int(100, 600_000),
  },
  INCIDENT_SETTLE_SECONDS: {
    doc: 'Seconds a minute is left open after it ends before it is judged (late lines and the assign pass catch up)',
    default: 30,
    parse: int(0, 3600),
  },
  INCIDENT_WARMUP_MINUTES: {
    doc: 'Minutes a service must have sent logs before a template new to it counts as a signal',
    default: 60,
    parse: int(0, 10_080),
  },
  INCIDENT_SPIKE_FACTOR: {
    doc: 'A burst: lines in 5 minutes at least this many times what the baseline expects (and at least 20)',
    default: 4,
    parse: decimal(1.1, 1000),
  },
  INCIDENT_RESOLVE_AFTER_MINUTES: {
    doc: 'An incident resolves when all its signals ended and none was seen for this many minutes',
    default: 15,
    parse: int(1, 1440),
  },
  INCIDENT_MAX_STORIES: {
    doc: 'LLM stories per incident at most: one when it opens, another when it grows materially (0: no stories)',
    default: 3,
    parse: int(0, 20),
  },
} satisfies Record<string, VarSpec<unknown>>;
