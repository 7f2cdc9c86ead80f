import type { Config } from '../../config/index.js';
import { DEFAULT_GROUPING_OPTIONS, DEFAULT_SIGNAL_OPTIONS } from './options.js';
import type { TitleLanguage } from './title.js';
import type { GroupingOptions, SignalOptions } from './types.js';

/** How the incident loop runs: its timing and the detector's and grouping's thresholds. */
export interface IncidentSettings {
  enabled: boolean;
  tickMs: number;
  /** A minute is judged once it ended this long ago. */
  settleMs: number;
  signal: SignalOptions;
  grouping: GroupingOptions;
  /** Resolved incidents are kept this many days (the logs' retention). */
  retentionDays: number;
  /** The language of generated titles (the analyses' language). */
  language: TitleLanguage;
}

type IncidentConfig = Pick<
  Config,
  'INCIDENTS_ENABLED' | 'INCIDENT_TICK_MS' | 'INCIDENT_SETTLE_SECONDS' | 'INCIDENT_WARMUP_MINUTES' | 'INCIDENT_SPIKE_FACTOR' | 'INCIDENT_RESOLVE_AFTER_MINUTES' | 'INCIDENT_MAX_STORIES' | 'RETENTION_DAYS' | 'ANALYSIS_LANGUAGE'
>;

/** The incident settings from the configuration, over the detector's and grouping's defaults. */
export function incidentSettings(cfg: IncidentConfig): IncidentSettings {
  return {
    enabled: cfg.INCIDENTS_ENABLED,
    tickMs: cfg.INCIDENT_TICK_MS,
    settleMs: cfg.INCIDENT_SETTLE_SECONDS * 1000,
    signal: { ...DEFAULT_SIGNAL_OPTIONS, warmupMinutes: cfg.INCIDENT_WARMUP_MINUTES, spikeFactor: cfg.INCIDENT_SPIKE_FACTOR },
    grouping: { ...DEFAULT_GROUPING_OPTIONS, resolveAfterMinutes: cfg.INCIDENT_RESOLVE_AFTER_MINUTES, maxStories: cfg.INCIDENT_MAX_STORIES },
    retentionDays: cfg.RETENTION_DAYS,
    language: cfg.ANALYSIS_LANGUAGE,
  };
}
