// The incident story contract between the worker and the ai role (plain types, like types.ts): the
// worker sends the evidence of one incident, the ai role answers with one story. One LLM call per
// story, with the same provider, redaction, retries and limiter as AnalyzeLogs.
import type { Language } from './options.js';
import type { SeverityName } from './prompts/schema.js';
import type { TokenUsageTotals } from './types.js';

/** What kind of change a signal saw. */
export type SignalKindName = 'new_template' | 'rate_spike' | 'rate_drop' | 'error_share';

/** One signal of an incident, as the model sees it (sample lines are redacted by the ai role). */
export interface IncidentSignalInput {
  kind: SignalKindName;
  service: string;
  /** The template (`<*>` marks variable parts); empty for error_share. */
  template: string;
  /** RFC 3339 UTC: when the signal started. */
  startedAt: string;
  /** Lines in the signal's window, and what its baseline expected there. */
  observed: number;
  expected: number;
  /** Up to 3 sample lines of the template (or, for error_share, of the service's errors). */
  samples: string[];
  /** The template's stored verdict summary and severity, when it has one. */
  verdict?: { summary: string; severity: SeverityName };
}

export interface DescribeIncidentRequest {
  incidentId: string;
  /** RFC 3339 UTC: the incident's first and latest signal. */
  openedAt: string;
  updatedAt: string;
  /** At most 20 signals, most important first. */
  signals: IncidentSignalInput[];
  language?: Language | '';
  requestId?: string;
}

export interface IncidentStoryTimelineEntry {
  /** RFC 3339 UTC. */
  at: string;
  text: string;
}

/** The model's account of the incident (validated; strings trimmed and bounded). */
export interface IncidentStory {
  title: string;
  summary: string;
  timeline: IncidentStoryTimelineEntry[];
  firstCause: string;
  affectedServices: string[];
  nextSteps: string[];
  severity: SeverityName;
  /** 0 to 1. */
  confidence: number;
}

export interface DescribeIncidentResult {
  story: IncidentStory;
  model: string;
  usage: TokenUsageTotals;
  promptVersion: string;
  llmCalls: number;
  /** True when the stand-in answered in demo mode. */
  demo: boolean;
}
