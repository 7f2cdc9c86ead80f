// The incidents module's vocabulary: what the signal detector reads (per-minute counts the database
// or a benchmark assembles), what it observes, and the incident state the grouping keeps. The
// detector (detect.ts) and the grouping (grouping.ts) are pure: no I/O, no clock of their own, so
// the worker loop and bench/incidents run the same code on the same inputs.
import type { SignalKindName } from '@logsage/ai-service';

export type SignalKind = SignalKindName;
export type IncidentSeverity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** One template's lines in one service, as counted by the assign pass (template_counts_minute/hour). */
export interface TemplateSeries {
  service: string;
  templateId: string;
  template: string;
  /** The dominant level of the template's lines (error, warn, ...), when known. */
  level?: string;
  /**
   * Lines per minute, oldest first, ending with the minute being evaluated (`MinuteInput.minuteMs`):
   * `recentMinutes + 1` entries, zeros filled.
   */
  minutes: number[];
  /**
   * Lines in the same clock hour (the hour containing minuteMs) on each previous day, most recent day
   * first, up to `historyDays`; a day with no stored hour at all (before the service existed, or past
   * retention) is omitted rather than counted as 0.
   */
  sameHourPrevDays: number[];
  /**
   * Optional: lines in each whole clock hour before the one containing minuteMs, most recent first,
   * up to 48 (template_counts_hour), zeros filled; hours before the service's first line omitted.
   * Lets the detector recognise a batch job whose bursts are further apart than the recent minutes.
   */
  prevHours?: number[];
  /** The template's first line in this service (ms since epoch); a folded template takes the earliest of the ids merged into it. */
  firstSeenMs: number;
}

/** One service's lines per minute (all levels) and its error lines (error and fatal). */
export interface ServiceSeries {
  service: string;
  /** Oldest first, ending with the minute being evaluated: `recentMinutes + 1` entries. */
  total: number[];
  errors: number[];
  /** The service's first stored line (ms since epoch). */
  firstSeenMs: number;
}

/** Everything the detector needs to judge one closed minute. */
export interface MinuteInput {
  /** Start of the minute being evaluated (ms since epoch, a whole UTC minute). */
  minuteMs: number;
  templates: TemplateSeries[];
  services: ServiceSeries[];
}

/** What the detector saw in one minute. A continuing condition is observed again every minute. */
export interface SignalObservation {
  kind: SignalKind;
  service: string;
  /** null for error_share (a service-wide signal). */
  templateId: string | null;
  template: string;
  minuteMs: number;
  severity: IncidentSeverity;
  /** Lines in the detector's window (for error_share: error lines), and what the baseline expected. */
  observed: number;
  expected: number;
  /** How far beyond its threshold (≥ 1 means over it); orders signals by strength. */
  score: number;
  /** Which baseline was used, in words for the evidence: "same hour on 5 previous days", "previous 60 minutes". */
  baseline: string;
}

export interface SignalOptions {
  /** A service must have been seen this long before a template new to it is a signal. */
  warmupMinutes: number;
  /** Minutes counted for rate and error-share signals (ending with the evaluated minute). */
  windowMinutes: number;
  /** Minutes of recent history given in each series (the baseline when there is no daily history). */
  recentMinutes: number;
  /** Previous days of same-hour history used; at least `minHistoryDays` of them switch to the daily baseline. */
  historyDays: number;
  minHistoryDays: number;
  /** A spike: observed ≥ spikeFactor × expected and ≥ spikeMinCount lines in the window. */
  spikeFactor: number;
  spikeMinCount: number;
  /** A drop: expected ≥ dropMinExpected lines in the window and observed ≤ dropFactor × expected. */
  dropMinExpected: number;
  dropFactor: number;
  /** Error share: ≥ errorMinCount error lines and a share at least errorShareDelta above the baseline share. */
  errorMinCount: number;
  errorShareDelta: number;
}

/** A signal being tracked across minutes: it starts, is observed again, and ends when not seen for a while. */
export interface ActiveSignal {
  id: string;
  kind: SignalKind;
  service: string;
  templateId: string | null;
  template: string;
  severity: IncidentSeverity;
  startedMs: number;
  lastMs: number;
  /** Set when the signal ended (not observed for `signalEndMinutes`). */
  endedMs: number | null;
  /** The strongest observation so far (its counts are the evidence). */
  observed: number;
  expected: number;
  score: number;
  baseline: string;
  incidentId: string;
}

export interface IncidentState {
  id: string;
  severity: IncidentSeverity;
  openedMs: number;
  /** The latest minute any of its signals was observed. */
  lastSignalMs: number;
  resolvedMs: number | null;
  services: string[];
  templateIds: string[];
  /** Signals ever attached, and the ones and services the last story was written for. */
  signalCount: number;
  storiedSignals: number;
  storiedServices: number;
  /** Stories requested so far (capped by `maxStories`). */
  stories: number;
}

export interface GroupingOptions {
  /** A signal not observed for this many minutes ends. */
  signalEndMinutes: number;
  /** A new signal joins an open incident of the same service whose latest signal is at most this old. */
  joinGapMinutes: number;
  /** ... and one of another service when that incident's latest signal is at most this old (services failing together). */
  crossServiceMinutes: number;
  /** An incident resolves when all its signals ended and none was observed for this many minutes. */
  resolveAfterMinutes: number;
  /** Stories per incident: one when it opens, more only when it grows materially, never above this. */
  maxStories: number;
}

/** What one minute of grouping changed; the caller persists it. */
export type IncidentChange =
  | { type: 'opened'; incident: IncidentState }
  | { type: 'grew'; incident: IncidentState; signalIds: string[] }
  | { type: 'resolved'; incident: IncidentState }
  /** Ask the LLM for a (new) story: on open, and on material growth (a new service, or twice the signals of the last story). */
  | { type: 'story_due'; incident: IncidentState };

export interface GroupingState {
  incidents: IncidentState[];
  signals: ActiveSignal[];
}

export interface GroupingStep {
  state: GroupingState;
  changes: IncidentChange[];
  /** Signals started, updated (observed again, maybe stronger) or ended in this step. */
  startedSignals: ActiveSignal[];
  updatedSignals: ActiveSignal[];
  endedSignals: ActiveSignal[];
}
