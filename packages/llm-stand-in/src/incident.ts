// The deterministic incident story: the ai-service's incident prompt (a `Prompt: incident-vN` line
// in the system message, the evidence as JSON inside <incident>) answered from the evidence alone,
// so tests can compute the expected story with describeIncident.
import { excerptOf, severityOf } from './analysis.js';
import { storyTextsFor, type SignalKindName } from './incident-texts.js';
import type { Language, Severity } from './types.js';

/** The line of the system message that marks an incident story prompt. */
export const INCIDENT_PROMPT_LINE = /^\s*Prompt:\s*incident-v\d+\s*$/m;
const INCIDENT_BLOCK = /<incident>([\s\S]*?)<\/incident>/;

/** One signal of the evidence, reduced to what the stand-in reads. */
export interface IncidentSignalEvidence {
  kind: SignalKindName;
  service: string;
  template: string;
  started_at: string;
  observed: number;
  expected: number;
  samples: string[];
  verdict?: { summary: string; severity: Severity };
}

export interface IncidentEvidence {
  opened_at: string;
  updated_at: string;
  signals: IncidentSignalEvidence[];
}

/** The story as the model's JSON carries it. */
export interface IncidentStoryReply {
  title: string;
  summary: string;
  timeline: { at: string; text: string }[];
  first_cause: string;
  affected_services: string[];
  next_steps: string[];
  severity: Severity;
  confidence: number;
}

const KINDS: readonly string[] = ['new_template', 'rate_spike', 'rate_drop', 'error_share'];
const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

function toSignal(value: unknown): IncidentSignalEvidence | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  const kind = str(v.kind);
  if (!KINDS.includes(kind) || str(v.service) === '' || !Number.isFinite(Date.parse(str(v.started_at)))) return null;
  const signal: IncidentSignalEvidence = {
    kind: kind as SignalKindName,
    service: str(v.service),
    template: str(v.template),
    started_at: str(v.started_at),
    observed: num(v.observed),
    expected: num(v.expected),
    samples: Array.isArray(v.samples) ? v.samples.map(str) : [],
  };
  const verdict = v.verdict as { summary?: unknown; severity?: unknown } | undefined;
  const severity = str(verdict?.severity) as Severity;
  if (verdict && SEVERITIES.includes(severity)) signal.verdict = { summary: str(verdict.summary), severity };
  return signal;
}

/** Parses the JSON of an <incident> block; null when absent, unusable, or without a valid signal. */
export function parseIncidentBlock(text: string): IncidentEvidence | null {
  const match = INCIDENT_BLOCK.exec(text);
  if (!match) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(match[1] ?? '');
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray((parsed as { signals?: unknown }).signals)) return null;
  const p = parsed as { opened_at?: unknown; updated_at?: unknown; signals: unknown[] };
  const signals = p.signals.map(toSignal);
  if (signals.length === 0 || !signals.every((s): s is IncidentSignalEvidence => s !== null)) return null;
  return { opened_at: str(p.opened_at), updated_at: str(p.updated_at), signals };
}

/** Writes evidence the way the prompt contract does: JSON with every '<' escaped, inside <incident>. */
export function formatIncidentBlock(evidence: object): string {
  return `<incident>\n${JSON.stringify(evidence).replaceAll('<', '\\u003c')}\n</incident>`;
}

/** A signal's severity: its template's verdict, else by kind (error_share high, rate_drop medium), else by its text. */
export function signalSeverity(s: IncidentSignalEvidence): Severity {
  if (s.verdict) return s.verdict.severity;
  if (s.kind === 'error_share') return 'high';
  if (s.kind === 'rate_drop') return 'medium';
  const fromText = severityOf('', [s.template, ...s.samples].join('\n'));
  if (s.kind === 'rate_spike') return fromText === 'critical' || fromText === 'high' ? fromText : 'medium';
  return fromText;
}

const iso = (at: string): string => new Date(Date.parse(at)).toISOString();
const subjectOf = (s: IncidentSignalEvidence): string => excerptOf(s.template || s.samples[0] || '');

/** The story of `evidence` in `language`; the same evidence always gives the same story. */
export function describeIncident(evidence: IncidentEvidence, language: Language): IncidentStoryReply {
  const t = storyTextsFor(language);
  const first = evidence.signals[0] as IncidentSignalEvidence;
  // Stable sort: signals that started together keep the evidence's order.
  const byStart = [...evidence.signals].sort((a, b) => Date.parse(a.started_at) - Date.parse(b.started_at));
  const earliest = byStart[0] as IncidentSignalEvidence;
  const services = [...new Set(evidence.signals.map((s) => s.service))];
  const severity = SEVERITIES.find((level) => evidence.signals.some((s) => signalSeverity(s) === level)) ?? 'info';
  const event = (s: IncidentSignalEvidence): string => t.event(t.kind[s.kind], s.service, subjectOf(s), s.observed, Math.round(s.expected * 100) / 100);
  return {
    title: t.title(t.kind[first.kind], first.service, services.length - 1),
    summary: t.summary(evidence.signals.length, services.join(', '), evidence.opened_at, evidence.updated_at, event(earliest)),
    timeline: byStart.map((s) => ({ at: iso(s.started_at), text: event(s) })),
    first_cause: t.cause(t.kind[earliest.kind], earliest.service, subjectOf(earliest), earliest.verdict?.summary ?? ''),
    affected_services: services,
    next_steps: [...new Set([t.steps[earliest.kind], ...byStart.map((s) => t.steps[s.kind])])].slice(0, 3).concat(t.deploys(earliest.service)),
    severity,
    confidence: Math.min(0.9, 0.5 + 0.1 * evidence.signals.length),
  };
}
