// Silences without Vue: matchers as Alertmanager writes them, the create form's checks with the
// server schema's limits (modules/alerting/schema.ts SilenceBody, Matcher, MATCHER_LABELS) and its body.
import type { Matcher, SilenceBody } from '../../api/silences';
import type { FieldErrors } from '../../lib/field-errors';
import { DURATION_PRESETS, GROUP_LABELS, MAX_SILENCE_MINUTES } from '../alerts/alertModel';

/** Labels a silence may match (the server's MATCHER_LABELS): the group labels, and the rule's name and id. */
export const MATCHER_LABELS = [...GROUP_LABELS, 'rule', 'rule_id'] as const;
/** Alertmanager's four operators: equal, not equal, regex match, regex non-match. */
export const OPERATORS = ['=', '!=', '=~', '!~'] as const;
export type Operator = (typeof OPERATORS)[number];

/** Preset lengths in minutes (1 h, 4 h, 1 day), the same as the alert page's silence dialog. */
export const SILENCE_PRESETS = DURATION_PRESETS;
export const MAX_MATCHERS = 20;
export const MAX_VALUE = 256;
export const MAX_COMMENT = 2000;
export const UNIT_MINUTES = { m: 1, h: 60, d: 1440 } as const;
export type Unit = keyof typeof UNIT_MINUTES;

export interface MatcherRow {
  name: string;
  op: Operator;
  value: string;
}

export interface SilenceForm {
  matchers: MatcherRow[];
  /** A preset's minutes from now, or a custom range. */
  preset: number | 'custom';
  start: Date | null;
  /** Custom range: an end time, or a duration from the start. */
  endMode: 'end' | 'duration';
  end: Date | null;
  amount: number | null;
  unit: Unit;
  comment: string;
}

/** The operator of a stored matcher. */
export function operatorOf(m: Matcher): Operator {
  const not = m.is_equal === false;
  if (m.is_regex) return not ? '!~' : '=~';
  return not ? '!=' : '=';
}

/** `service="payment-api"`, `rule=~"db.*"`: how Alertmanager prints a matcher. */
export function formatMatcher(m: Matcher): string {
  return `${m.name}${operatorOf(m)}${JSON.stringify(m.value)}`;
}

/** The API matcher of a form row (the flags only when they differ from the defaults). */
export function toMatcher(r: MatcherRow): Matcher {
  const m: Matcher = { name: r.name, value: r.value };
  if (r.op === '=~' || r.op === '!~') m.is_regex = true;
  if (r.op === '!=' || r.op === '!~') m.is_equal = false;
  return m;
}

/** A fresh form: one empty service matcher, one hour from now. */
export function emptySilence(now = new Date()): SilenceForm {
  return { matchers: [{ name: 'service', op: '=', value: '' }], preset: SILENCE_PRESETS[0], start: now, endMode: 'duration', end: null, amount: 2, unit: 'h', comment: '' };
}

/** When the silence would start and end ([start, end] in ms); undefined where the form does not say yet. */
export function rangeOf(f: SilenceForm, now = Date.now()): { start: number; end: number | undefined } {
  if (f.preset !== 'custom') return { start: now, end: now + f.preset * 60_000 };
  const start = f.start ? f.start.getTime() : now;
  if (f.endMode === 'end') return { start, end: f.end?.getTime() };
  return { start, end: f.amount ? start + f.amount * UNIT_MINUTES[f.unit] * 60_000 : undefined };
}

type T = (key: string, params?: Record<string, unknown>) => string;

/** Where a matcher row's own problems are filed (the server reports matchers as a whole). */
export const rowKey = (i: number): string => `row#${i}`;

function regexError(source: string): string | undefined {
  try {
    new RegExp(`^(?:${source})$`);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

function checkRows(f: SilenceForm, t: T, out: FieldErrors): void {
  if (f.matchers.length === 0) out.matchers = t('silences.v.oneMatcher');
  if (f.matchers.length > MAX_MATCHERS) out.matchers = t('silences.v.maxMatchers', { n: MAX_MATCHERS });
  f.matchers.forEach((r, i) => {
    if (!(MATCHER_LABELS as readonly string[]).includes(r.name)) out[rowKey(i)] = t('silences.v.label');
    else if (r.value.length > MAX_VALUE) out[rowKey(i)] = t('silences.v.valueLength', { n: MAX_VALUE });
    else if (r.op.endsWith('~') && regexError(r.value)) out[rowKey(i)] = t('silences.v.regex', { message: regexError(r.value) });
  });
}

function checkRange(f: SilenceForm, now: number, t: T, out: FieldErrors): void {
  if (f.preset !== 'custom') return;
  const { start, end } = rangeOf(f, now);
  if (f.endMode === 'duration') {
    const minutes = (f.amount ?? 0) * UNIT_MINUTES[f.unit];
    if (!f.amount || !Number.isInteger(minutes) || minutes < 1 || minutes > MAX_SILENCE_MINUTES) out.duration_minutes = t('silences.v.duration');
  } else if (end === undefined) out.ends_at = t('silences.v.required');
  if (end !== undefined && (end <= start || end <= now)) out.ends_at = t('silences.v.endAfter');
}

/** Every problem of the form by field (`matchers`, `row#i`, `ends_at`, `duration_minutes`, `comment`); empty when it may be sent. */
export function validateSilence(f: SilenceForm, t: T, now = Date.now()): FieldErrors {
  const out: FieldErrors = {};
  checkRows(f, t, out);
  checkRange(f, now, t, out);
  if (f.comment.length > MAX_COMMENT) out.comment = t('silences.v.comment', { n: MAX_COMMENT });
  return out;
}

/** True when every matcher also matches a missing label (""): such a silence would mute every alert. */
export function matchesEverything(rows: MatcherRow[]): boolean {
  return rows.length > 0 && rows.every((r) => {
    if (r.op === '=') return r.value === '';
    if (r.op === '!=') return r.value !== '';
    if (regexError(r.value)) return false;
    const hit = new RegExp(`^(?:${r.value})$`).test('');
    return r.op === '=~' ? hit : !hit;
  });
}

/** The POST body: a preset is a duration from now; a custom range sends its start and its end or duration. */
export function silenceBody(f: SilenceForm): SilenceBody {
  const comment = f.comment.trim();
  const body: SilenceBody = { matchers: f.matchers.map(toMatcher), ...(comment ? { comment } : {}) };
  if (f.preset !== 'custom') return { ...body, duration_minutes: f.preset };
  const startsAt = (f.start ?? new Date()).toISOString();
  if (f.endMode === 'end') return { ...body, starts_at: startsAt, ends_at: f.end?.toISOString() ?? startsAt };
  return { ...body, starts_at: startsAt, duration_minutes: Math.round((f.amount ?? 0) * UNIT_MINUTES[f.unit]) };
}
