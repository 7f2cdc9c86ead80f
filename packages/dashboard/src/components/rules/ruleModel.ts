// The rule editor's form and its two-way mapping to the API's body. The form keeps the API's field
// names, so a reason the server gives for `conditions.text_regex` stands under the same input as a
// reason found here; empty inputs stand for "no such condition" and are left out of the body.
import { INCIDENT_CONDITIONS, type Rule, type RuleBody, type RuleConditions, type RuleKind } from '../../api/rules';

/** The server's limits (alerting/schema.ts, safe-regex.ts), checked here before anything is sent. */
export const LIMITS = {
  name: 200,
  description: 2000,
  words: 100,
  word: 200,
  servicePattern: 200,
  textContains: 500,
  textRegex: 256,
  count: 10_000,
  windowMinutes: 1440,
  groupWaitSeconds: 86_400,
  groupIntervalSeconds: 86_400,
  repeatIntervalSeconds: 30 * 86_400,
  resolveAfterMinutes: 10_080,
  channels: 50,
} as const;

export type AnomalyChoice = 'any' | 'only' | 'exclude';

export interface ConditionsForm {
  min_severity: string;
  anomaly: AnomalyChoice;
  categories: string[];
  services: string[];
  service_pattern: string;
  levels: string[];
  templates: string[];
  text_contains: string;
  text_regex: string;
  ignore_case: boolean;
}

export interface RuleForm {
  kind: RuleKind;
  name: string;
  description: string;
  enabled: boolean;
  conditions: ConditionsForm;
  threshold: { count: number | null; window_minutes: number | null };
  group_by: string[];
  group_wait_seconds: number | null;
  group_interval_seconds: number | null;
  repeat_interval_seconds: number | null;
  resolve_after_minutes: number | null;
  notify_resolved: boolean;
  channel_ids: string[];
}

/** A new rule: no conditions, every match counts (1 in 5 min), grouped by service, server timings. */
export function emptyForm(): RuleForm {
  return {
    kind: 'result',
    name: '',
    description: '',
    enabled: true,
    conditions: { min_severity: '', anomaly: 'any', categories: [], services: [], service_pattern: '', levels: [], templates: [], text_contains: '', text_regex: '', ignore_case: true },
    threshold: { count: 1, window_minutes: 5 },
    group_by: ['service'],
    group_wait_seconds: null,
    group_interval_seconds: null,
    repeat_interval_seconds: null,
    resolve_after_minutes: null,
    notify_resolved: true,
    channel_ids: [],
  };
}

/** The form showing a stored rule. */
export function formFromRule(r: Rule): RuleForm {
  const c = r.conditions;
  return {
    kind: r.kind ?? 'result',
    name: r.name,
    description: r.description,
    enabled: r.enabled,
    conditions: {
      min_severity: c.min_severity ?? '',
      anomaly: c.anomaly === undefined ? 'any' : c.anomaly ? 'only' : 'exclude',
      categories: [...(c.categories ?? [])],
      services: [...(c.services ?? [])],
      service_pattern: c.service_pattern ?? '',
      levels: [...(c.levels ?? [])],
      templates: [...(c.templates ?? [])],
      text_contains: c.text_contains ?? '',
      text_regex: c.text_regex ?? '',
      ignore_case: c.ignore_case ?? true,
    },
    threshold: { ...r.threshold },
    group_by: [...r.group_by],
    group_wait_seconds: r.group_wait_seconds,
    group_interval_seconds: r.group_interval_seconds,
    repeat_interval_seconds: r.repeat_interval_seconds,
    resolve_after_minutes: r.resolve_after_minutes,
    notify_resolved: r.notify_resolved,
    channel_ids: [...r.channel_ids],
  };
}

/** The conditions the form states, and only those (ignore_case only when it differs from the default). */
export function conditionsFromForm(c: ConditionsForm, kind: RuleKind = 'result'): RuleConditions {
  if (kind === 'incident') return incidentConditions(c);
  const out: RuleConditions = {};
  if (c.min_severity) out.min_severity = c.min_severity;
  if (c.anomaly !== 'any') out.anomaly = c.anomaly === 'only';
  if (c.categories.length) out.categories = [...c.categories];
  if (c.services.length) out.services = [...c.services];
  if (c.service_pattern.trim()) out.service_pattern = c.service_pattern.trim();
  if (c.levels.length) out.levels = [...c.levels];
  if (c.templates.length) out.templates = [...c.templates];
  // Text is matched as typed: a leading space can be what tells "error" from "terror".
  if (c.text_contains) out.text_contains = c.text_contains;
  if (c.text_regex) out.text_regex = c.text_regex;
  if (!c.ignore_case) out.ignore_case = false;
  return out;
}

/**
 * An incident rule's conditions: only the ones incidents have. The form keeps the others (switching
 * the kind back restores them) but they are never sent: the server refuses them for incident rules.
 */
function incidentConditions(c: ConditionsForm): RuleConditions {
  const all = conditionsFromForm(c);
  const out: RuleConditions = {};
  for (const k of INCIDENT_CONDITIONS) if (all[k] !== undefined) (out as Record<string, unknown>)[k] = all[k];
  return out;
}

/** The whole body the form states (every field explicit, so the stored rule is what the form shows). */
export function bodyFromForm(f: RuleForm): RuleBody {
  return {
    kind: f.kind,
    name: f.name.trim(),
    description: f.description,
    enabled: f.enabled,
    conditions: conditionsFromForm(f.conditions, f.kind),
    threshold: { count: f.threshold.count ?? 1, window_minutes: f.threshold.window_minutes ?? 5 },
    group_by: [...f.group_by],
    group_wait_seconds: f.group_wait_seconds,
    group_interval_seconds: f.group_interval_seconds,
    repeat_interval_seconds: f.repeat_interval_seconds,
    resolve_after_minutes: f.resolve_after_minutes,
    notify_resolved: f.notify_resolved,
    channel_ids: [...f.channel_ids],
  };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The fields of `next` that differ from `before`, for a PATCH. Both are bodies built by
 * bodyFromForm, so a condition stored in another spelling (ignore_case: true) is not a change.
 */
export function changedFields(before: RuleBody, next: RuleBody): Partial<RuleBody> {
  const out: Partial<RuleBody> = {};
  for (const key of Object.keys(next) as (keyof RuleBody)[]) {
    if (!same(before[key], next[key])) (out as Record<string, unknown>)[key] = next[key];
  }
  return out;
}

/** The length of the pattern the server builds from a service glob (safe-regex refuses one over 256). */
export function globPatternLength(glob: string): number {
  let n = '^(?:)$'.length;
  for (const ch of glob) n += ch === '?' ? 1 : /[.+^${}()|[\]\\*]/.test(ch) ? 2 : ch.length;
  return n;
}

/** True when the form has no condition at all: the rule would count every analysed log (or every incident). */
export function hasNoCondition(c: ConditionsForm, kind: RuleKind = 'result'): boolean {
  const { ignore_case: _ignored, ...rest } = conditionsFromForm(c, kind);
  return Object.keys(rest).length === 0;
}

const at = (o: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), o);

/** The reasons that still stand after an edit: a reason goes once its field's value changed. */
export function stillStanding<T extends Record<string, string>>(errors: T, before: RuleBody, after: RuleBody): T {
  const out = {} as Record<string, string>;
  for (const [k, v] of Object.entries(errors)) if (!k || same(at(before, k), at(after, k))) out[k] = v;
  return out as T;
}
