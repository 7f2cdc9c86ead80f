import { Type, type Static } from 'typebox';

// The incidents API's shapes (snake_case JSON, times ISO 8601 UTC), as the dashboard's
// api/incidents.ts reads them.

const Severity = Type.Enum(['critical', 'high', 'medium', 'low', 'info']);
const Time = Type.String({ description: 'ISO 8601 UTC' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const IncidentQuery = Type.Object({
  state: Type.Enum(['open', 'resolved', 'all'], { default: 'all' }),
  service: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'only incidents of this service' })),
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  before: Type.Optional(Type.String({ maxLength: 300, description: 'next page: the `next` of the previous page' })),
}, { additionalProperties: false });
export type IncidentQuery = Static<typeof IncidentQuery>;

export const IncidentSummary = Type.Object({
  id: Type.String(),
  state: Type.Enum(['open', 'resolved']),
  severity: Severity,
  title: Type.String({ description: "the story's title, or one generated from the signals" }),
  services: Type.Array(Type.String()),
  template_ids: Type.Array(Type.String()),
  signal_count: Type.Integer(),
  opened_at: Time,
  updated_at: Time,
  last_signal_at: Time,
  resolved_at: Nullable(Time),
  story_state: Type.Enum(['none', 'due', 'written', 'failed']),
}, { additionalProperties: false });
export type IncidentSummary = Static<typeof IncidentSummary>;

export const IncidentPage = Type.Object({
  incidents: Type.Array(IncidentSummary),
  next: Nullable(Type.String({ description: 'pass as `before` for the next page; null on the last one' })),
}, { additionalProperties: false });
export type IncidentPage = Static<typeof IncidentPage>;

export const IncidentStory = Type.Object({
  title: Type.String(),
  summary: Type.String(),
  timeline: Type.Array(Type.Object({ at: Time, text: Type.String() }, { additionalProperties: false })),
  first_cause: Type.String(),
  affected_services: Type.Array(Type.String()),
  next_steps: Type.Array(Type.String()),
  severity: Severity,
  confidence: Type.Number({ minimum: 0, maximum: 1 }),
  model: Type.String(),
  written_at: Time,
}, { additionalProperties: false });
export type IncidentStory = Static<typeof IncidentStory>;

export const IncidentSignal = Type.Object({
  id: Type.String(),
  kind: Type.Enum(['new_template', 'rate_spike', 'rate_drop', 'error_share']),
  service: Type.String(),
  template_id: Nullable(Type.String({ description: 'null for error_share (service-wide)' })),
  template: Type.String(),
  severity: Severity,
  started_at: Time,
  last_at: Time,
  ended_at: Nullable(Time),
  observed: Type.Number({ description: "lines in the detector's window" }),
  expected: Type.Number({ description: 'what the baseline expected there' }),
  baseline: Type.String({ description: 'the baseline in words' }),
}, { additionalProperties: false });
export type IncidentSignal = Static<typeof IncidentSignal>;

export const IncidentTemplate = Type.Object({
  id: Type.String(),
  template: Type.String(),
  service: Type.String(),
  series: Type.Array(Type.Object({ minute: Time, count: Type.Integer() }, { additionalProperties: false }), {
    description: 'lines per minute from 30 minutes before the incident opened to 30 minutes after it resolved (or now), zeros filled',
  }),
}, { additionalProperties: false });
export type IncidentTemplate = Static<typeof IncidentTemplate>;

export const IncidentSample = Type.Object({
  log_id: Type.String(),
  ts: Time,
  service: Type.String(),
  level: Type.String(),
  message: Type.String(),
}, { additionalProperties: false });
export type IncidentSample = Static<typeof IncidentSample>;

export const IncidentHistoryEntry = Type.Object({
  at: Time,
  event: Type.Enum(['opened', 'grew', 'story', 'story_failed', 'resolved']),
  detail: Type.Record(Type.String(), Type.Unknown()),
}, { additionalProperties: false });
export type IncidentHistoryEntry = Static<typeof IncidentHistoryEntry>;

export const IncidentDetail = Type.Object({
  ...IncidentSummary.properties,
  story: Nullable(IncidentStory),
  signals: Type.Array(IncidentSignal),
  templates: Type.Array(IncidentTemplate),
  samples: Type.Array(IncidentSample, { description: 'up to 3 lines per template, newest first' }),
  history: Type.Array(IncidentHistoryEntry),
}, { additionalProperties: false });
export type IncidentDetail = Static<typeof IncidentDetail>;
