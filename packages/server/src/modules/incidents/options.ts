// Defaults of the signal detector and the incident grouping (the INCIDENT_* settings override them).
import type { GroupingOptions, SignalOptions } from './types.js';

export const DEFAULT_SIGNAL_OPTIONS: SignalOptions = {
  warmupMinutes: 60,
  windowMinutes: 5,
  recentMinutes: 60,
  historyDays: 7,
  minHistoryDays: 2,
  spikeFactor: 4,
  spikeMinCount: 20,
  dropMinExpected: 30,
  dropFactor: 0.1,
  errorMinCount: 10,
  errorShareDelta: 0.2,
};

export const DEFAULT_GROUPING_OPTIONS: GroupingOptions = {
  signalEndMinutes: 5,
  joinGapMinutes: 10,
  crossServiceMinutes: 5,
  resolveAfterMinutes: 15,
  maxStories: 3,
};
