import { Type, type Static } from 'typebox';
import { LEVELS, SEVERITIES, type SeverityName } from '@logsage/contracts';

export { SEVERITIES };
export type Severity = SeverityName;
export const GROUP_LABELS = ['service', 'template', 'category', 'severity'] as const;
export type GroupLabel = (typeof GROUP_LABELS)[number];
/** Labels a silence may match: the group labels plus the rule's name and id, and an incident alert's incident id. */
export const MATCHER_LABELS = ['rule', 'rule_id', ...GROUP_LABELS, 'incident'] as const;
/** What a rule matches: analysis results, or incidents (one alert per incident). */
export const RULE_KINDS = ['result', 'incident'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];
/** The conditions an incident rule may use; the others describe single results. */
export const INCIDENT_CONDITIONS = ['min_severity', 'services', 'service_pattern'] as const;

const lit = <const T extends readonly string[]>(values: T) => Type.Enum(values);
const LEVEL = lit(LEVELS);
const Words = (what: string) => Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 100, description: what });

export const Conditions = Type.Object(
  {
    min_severity: Type.Optional(lit(SEVERITIES)),
    anomaly: Type.Optional(Type.Boolean({ description: 'true: anomalies only; false: non-anomalies only' })),
    categories: Type.Optional(Words('any of these categories')),
    services: Type.Optional(Words('any of these services, exact names')),
    service_pattern: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'service name pattern with * and ?, e.g. payment-*' })),
    levels: Type.Optional(Type.Array(LEVEL, { maxItems: 7 })),
    templates: Type.Optional(Words('any of these template ids')),
    text_contains: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'the log message contains this text' })),
    text_regex: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'the log message matches this regular expression (RE2 syntax, matched in linear time: no backreferences or lookarounds)' })),
    ignore_case: Type.Optional(Type.Boolean({ description: 'text_contains and text_regex ignore letter case (default true)' })),
  },
  { additionalProperties: false },
);
export type Conditions = Static<typeof Conditions>;

// An explicit null ("the server's default") is tried first, as `const: null`, which has no type for
// Ajv to coerce: with Fastify's coerceTypes, Union([Integer, Null]) turned a null into 0 (no wait).
const NullFirst = Type.Unsafe<null>({ const: null });
const Seconds = (what: string, max: number) => Type.Optional(Type.Union([NullFirst, Type.Integer({ minimum: 0, maximum: max, description: what })]));

const ruleFields = {
  kind: Type.Optional(Type.Enum(RULE_KINDS, {
    description: 'result (default): matches analysis results; incident: one alert per matching incident, resolved with it (conditions: min_severity, services, service_pattern; threshold and group_by unused)',
  })),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  enabled: Type.Optional(Type.Boolean()),
  conditions: Conditions,
  threshold: Type.Optional(
    Type.Object(
      {
        count: Type.Integer({ minimum: 1, maximum: 10_000, description: 'matching results needed…' }),
        window_minutes: Type.Integer({ minimum: 1, maximum: 1440, description: '…within this many minutes, per group' }),
      },
      { additionalProperties: false },
    ),
  ),
  group_by: Type.Optional(Type.Array(lit(GROUP_LABELS), { uniqueItems: true, maxItems: 4, description: 'default: service' })),
  group_wait_seconds: Seconds('wait before the first notification of a group (null: ALERT_GROUP_WAIT_SECONDS)', 86_400),
  group_interval_seconds: Seconds('wait before notifying new results of a notified group (null: ALERT_GROUP_INTERVAL_SECONDS)', 86_400),
  repeat_interval_seconds: Seconds('wait before re-sending an unchanged firing alert (null: ALERT_REPEAT_INTERVAL_SECONDS)', 30 * 86_400),
  resolve_after_minutes: Type.Optional(Type.Union([NullFirst, Type.Integer({ minimum: 1, maximum: 10_080 })], { description: 'quiet minutes before an alert resolves (null: ALERT_RESOLVE_AFTER_MINUTES)' })),
  notify_resolved: Type.Optional(Type.Boolean({ description: 'send a resolved notification (default true)' })),
  channel_ids: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 50, uniqueItems: true })),
};

export const RuleBody = Type.Object(ruleFields, { additionalProperties: false });
export type RuleBody = Static<typeof RuleBody>;
export const RulePatch = Type.Partial(Type.Object(ruleFields), { additionalProperties: false });
export type RulePatch = Static<typeof RulePatch>;

export const RuleView = Type.Object({
  id: Type.String(),
  kind: Type.Enum(RULE_KINDS),
  name: Type.String(),
  description: Type.String(),
  enabled: Type.Boolean(),
  conditions: Conditions,
  threshold: Type.Object({ count: Type.Integer(), window_minutes: Type.Integer() }),
  group_by: Type.Array(Type.String()),
  group_wait_seconds: Type.Union([Type.Integer(), Type.Null()]),
  group_interval_seconds: Type.Union([Type.Integer(), Type.Null()]),
  repeat_interval_seconds: Type.Union([Type.Integer(), Type.Null()]),
  resolve_after_minutes: Type.Union([Type.Integer(), Type.Null()]),
  notify_resolved: Type.Boolean(),
  channel_ids: Type.Array(Type.String()),
  created_at: Type.String(),
  updated_at: Type.String(),
});
/** A stored rule as the API shows it. */
export type Rule = Static<typeof RuleView>;

export const Matcher = Type.Object(
  {
    name: lit(MATCHER_LABELS),
    value: Type.String({ maxLength: 256 }),
    is_regex: Type.Optional(Type.Boolean({ description: 'value is a regular expression matched against the whole label' })),
    is_equal: Type.Optional(Type.Boolean({ description: 'false: the matcher selects labels that do NOT match (default true)' })),
  },
  { additionalProperties: false },
);
export type Matcher = Static<typeof Matcher>;

export const SilenceBody = Type.Object(
  {
    matchers: Type.Array(Matcher, { minItems: 1, maxItems: 20 }),
    starts_at: Type.Optional(Type.String({ description: 'ISO 8601 (default: now)' })),
    ends_at: Type.Optional(Type.String({ description: 'ISO 8601; or give duration_minutes' })),
    duration_minutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 * 1440 })),
    comment: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type SilenceBody = Static<typeof SilenceBody>;

export const SilenceView = Type.Object({
  id: Type.String(),
  matchers: Type.Array(Matcher),
  starts_at: Type.String(),
  ends_at: Type.String(),
  comment: Type.String(),
  created_by: Type.String(),
  created_at: Type.String(),
  alert_id: Type.Union([Type.String(), Type.Null()]),
  state: lit(['pending', 'active', 'expired']),
});
export type Silence = Static<typeof SilenceView>;

/** Severity rank: 0 is the highest. */
export const severityRank = (s: string): number => {
  const i = (SEVERITIES as readonly string[]).indexOf(s);
  return i < 0 ? SEVERITIES.length : i;
};
