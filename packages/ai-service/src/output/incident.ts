// Reading the model's incident story: reasoning and fences stripped exactly as for analyses
// (extract.ts), then the same TypeBox schema the prompt describes, then trimmed and bounded so a
// rambling model cannot fill the incidents table or the alert that quotes it.
import Value from 'typebox/value';
import type { IncidentStory, IncidentStoryTimelineEntry } from '../incident-types.js';
import { StoryReplySchema, type ModelStory } from '../prompts/incident.js';
import { extractJson } from './extract.js';

/** Bounds of a stored story (characters and entries). */
export const STORY_LIMITS = {
  titleChars: 200,
  summaryChars: 2000,
  timelineEntries: 20,
  timelineTextChars: 500,
  firstCauseChars: 1000,
  services: 20,
  serviceChars: 200,
  nextSteps: 5,
  nextStepChars: 500,
} as const;

export type ParsedStory = { ok: true; story: IncidentStory } | { ok: false; error: string };

/** Trims and cuts to `max` code points, so a cut never splits a surrogate pair. */
function bound(text: string, max: number): string {
  const trimmed = text.trim().replace(/\s+/g, ' ');
  const points = Array.from(trimmed);
  return points.length <= max ? trimmed : `${points.slice(0, max - 1).join('')}…`;
}

// Cosmetic slips are fixed here rather than costing a repair round trip: capitalised severity, a
// single next step given as a string, a confidence written as a percentage.
function normalise(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const r = { ...(value as Record<string, unknown>) };
  if (typeof r.severity === 'string') r.severity = r.severity.trim().toLowerCase();
  if (typeof r.next_steps === 'string') r.next_steps = [r.next_steps];
  if (typeof r.affected_services === 'string') r.affected_services = [r.affected_services];
  if (typeof r.confidence === 'string' && r.confidence.trim() !== '') r.confidence = Number(r.confidence);
  if (typeof r.confidence === 'number' && r.confidence > 1 && r.confidence <= 100) r.confidence = r.confidence / 100;
  if (typeof r.title === 'string') r.title = r.title.trim();
  return r;
}

// A timeline entry whose time cannot be read is dropped: the story stays useful without it.
function timeline(entries: ModelStory['timeline']): IncidentStoryTimelineEntry[] {
  const out: IncidentStoryTimelineEntry[] = [];
  for (const e of entries) {
    const ms = Date.parse(e.at);
    const text = bound(e.text, STORY_LIMITS.timelineTextChars);
    if (Number.isFinite(ms) && text !== '') out.push({ at: new Date(ms).toISOString(), text });
  }
  return out.sort((a, b) => a.at.localeCompare(b.at)).slice(0, STORY_LIMITS.timelineEntries);
}

const list = (items: string[], count: number, chars: number): string[] =>
  [...new Set(items.map((s) => bound(s, chars)).filter((s) => s !== ''))].slice(0, count);

/** The bounded story from a reply that passed the schema. */
export function toStory(m: ModelStory): IncidentStory {
  const L = STORY_LIMITS;
  return {
    title: bound(m.title, L.titleChars),
    summary: bound(m.summary, L.summaryChars),
    timeline: timeline(m.timeline),
    firstCause: bound(m.first_cause, L.firstCauseChars),
    affectedServices: list(m.affected_services, L.services, L.serviceChars),
    nextSteps: list(m.next_steps, L.nextSteps, L.nextStepChars),
    severity: m.severity,
    confidence: m.confidence,
  };
}

/** Parses and validates a model reply into a story, or says what is wrong with it. */
export function parseStory(content: string): ParsedStory {
  const extracted = extractJson(content);
  if (!extracted.ok) return { ok: false, error: extracted.error };
  const candidate = normalise(extracted.value);
  if (!Value.Check(StoryReplySchema, candidate)) {
    const errors = Value.Errors(StoryReplySchema, candidate).slice(0, 5);
    return { ok: false, error: errors.map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ') };
  }
  const story = toStory(candidate);
  if (story.title === '') return { ok: false, error: '/title is empty' };
  return { ok: true, story };
}
