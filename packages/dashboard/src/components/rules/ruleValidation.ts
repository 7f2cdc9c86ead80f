// The checks the server makes on a rule body (its schema's lengths, ranges and counts), made before
// sending so a mistake shows at once under its input. Reasons are keyed like the server's field
// errors (`conditions.services`, `threshold.count`). The regular expression's safety is left to the
// server: its own matcher is the authority, and its message is shown under the same input.
import type { FieldErrors } from '../../lib/field-errors';
import { formatDuration, type BaseUnit } from './duration';
import { LIMITS, globPatternLength, type RuleForm } from './ruleModel';

/** Translates a validation message key (`rules.invalid.*`) with its values. */
export type Translate = (key: string, values?: Record<string, unknown>) => string;

/** The reasons the form cannot be saved as it is, by field; empty when it can. */
export function validateRule(f: RuleForm, t: Translate): FieldErrors {
  const out: FieldErrors = {};
  const fail = (field: string, key: string, values?: Record<string, unknown>): void => {
    out[field] ??= t(`rules.invalid.${key}`, values);
  };
  const text = (field: string, v: string, max: number): void => {
    if (v.length > max) fail(field, 'tooLong', { max });
  };
  const words = (field: string, list: string[], maxItems: number = LIMITS.words): void => {
    if (list.length > maxItems) fail(field, 'tooMany', { max: maxItems });
    if (list.some((w) => w.length === 0 || w.length > LIMITS.word)) fail(field, 'itemLength', { max: LIMITS.word });
  };
  const int = (field: string, v: number | null, min: number, max: number, nullable: boolean, base?: BaseUnit): void => {
    if (v === null || v === undefined) {
      if (!nullable) fail(field, 'required');
    } else if (!Number.isInteger(v) || v < min || v > max) {
      const show = (n: number): string | number => (base ? formatDuration(n, base, (u) => t(`rules.unit.${u}`)) : n);
      fail(field, 'range', { min: show(min), max: show(max) });
    }
  };

  if (!f.name.trim()) fail('name', 'required');
  text('name', f.name.trim(), LIMITS.name);
  text('description', f.description, LIMITS.description);
  const c = f.conditions;
  words('conditions.categories', c.categories);
  words('conditions.services', c.services);
  words('conditions.templates', c.templates);
  const pattern = c.service_pattern.trim();
  text('conditions.service_pattern', pattern, LIMITS.servicePattern);
  if (pattern && globPatternLength(pattern) > LIMITS.textRegex) fail('conditions.service_pattern', 'patternTooLong');
  text('conditions.text_contains', c.text_contains, LIMITS.textContains);
  text('conditions.text_regex', c.text_regex, LIMITS.textRegex);
  int('threshold.count', f.threshold.count, 1, LIMITS.count, false);
  int('threshold.window_minutes', f.threshold.window_minutes, 1, LIMITS.windowMinutes, false);
  int('group_wait_seconds', f.group_wait_seconds, 0, LIMITS.groupWaitSeconds, true, 's');
  int('group_interval_seconds', f.group_interval_seconds, 0, LIMITS.groupIntervalSeconds, true, 's');
  int('repeat_interval_seconds', f.repeat_interval_seconds, 0, LIMITS.repeatIntervalSeconds, true, 's');
  int('resolve_after_minutes', f.resolve_after_minutes, 1, LIMITS.resolveAfterMinutes, true, 'min');
  if (f.channel_ids.length > LIMITS.channels) fail('channel_ids', 'tooMany', { max: LIMITS.channels });
  return out;
}
