import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api/http';
import { bodyFromForm, changedFields, emptyForm, formFromRule, globPatternLength, hasNoCondition, stillStanding } from '../src/components/rules/ruleModel';
import { validateRule } from '../src/components/rules/ruleValidation';
import { formatDuration, joinDuration, splitDuration } from '../src/components/rules/duration';
import { splitRefusal } from '../src/composables/useRuleEditor';
import { buildRule } from './factories';

// Messages as their keys and values, so the tests read which check failed.
const t = (key: string, v?: Record<string, unknown>): string => (v ? `${key} ${JSON.stringify(v)}` : key);

describe('rule form and API body', () => {
  it('a new form states no condition, 1 in 5 min per service and server timings', () => {
    const body = bodyFromForm({ ...emptyForm(), name: '  Anything  ' });
    expect(body).toEqual({
      kind: 'result', name: 'Anything', description: '', enabled: true, conditions: {}, threshold: { count: 1, window_minutes: 5 }, group_by: ['service'],
      group_wait_seconds: null, group_interval_seconds: null, repeat_interval_seconds: null, resolve_after_minutes: null, notify_resolved: true, channel_ids: [],
    });
    expect(hasNoCondition(emptyForm().conditions)).toBe(true);
  });

  it('sends only the conditions filled in, text as typed, ignore_case only when off', () => {
    const f = emptyForm();
    Object.assign(f.conditions, { min_severity: 'medium', anomaly: 'exclude', categories: ['database'], service_pattern: ' payment-* ', levels: ['error'], text_contains: ' refused', ignore_case: false });
    expect(bodyFromForm(f).conditions).toEqual({ min_severity: 'medium', anomaly: false, categories: ['database'], service_pattern: 'payment-*', levels: ['error'], text_contains: ' refused', ignore_case: false });
    f.conditions.anomaly = 'only';
    f.conditions.ignore_case = true;
    expect(bodyFromForm(f).conditions).toEqual({ min_severity: 'medium', anomaly: true, categories: ['database'], service_pattern: 'payment-*', levels: ['error'], text_contains: ' refused' });
  });

  it('a stored rule round-trips through the form unchanged', () => {
    const rule = buildRule({
      conditions: { min_severity: 'high', anomaly: false, categories: ['network', 'custom'], services: ['a'], service_pattern: 'b-*', levels: ['warn'], templates: ['0123456789abcdef'], text_contains: 'x', text_regex: 'y+', ignore_case: false },
      group_by: [], group_wait_seconds: 0, group_interval_seconds: 600, repeat_interval_seconds: 86_400, resolve_after_minutes: 30, notify_resolved: false, channel_ids: ['c1'],
    });
    const { id: _id, created_at: _c, updated_at: _u, ...stored } = rule;
    expect(bodyFromForm(formFromRule(rule))).toEqual(stored);
  });

  it('a PATCH carries only the changed fields, the whole conditions object when one condition changed', () => {
    const rule = buildRule({ conditions: { min_severity: 'high', ignore_case: true } });
    const before = bodyFromForm(formFromRule(rule));
    expect(changedFields(before, before)).toEqual({}); // ignore_case: true is the default, not a change
    const f = formFromRule(rule);
    f.name = 'Renamed';
    f.conditions.levels = ['fatal'];
    f.repeat_interval_seconds = 3600;
    expect(changedFields(before, bodyFromForm(f))).toEqual({ name: 'Renamed', conditions: { min_severity: 'high', levels: ['fatal'] }, repeat_interval_seconds: 3600 });
  });

  it('a reason goes away once its own field changes, and only then', () => {
    const before = bodyFromForm({ ...emptyForm(), name: 'x' });
    const after = { ...before, conditions: { text_regex: '(a)+' } };
    const errors = { 'conditions.text_regex': 'nested', name: 'taken', '': 'general' };
    expect(stillStanding(errors, before, after)).toEqual({ name: 'taken', '': 'general' });
    expect(stillStanding(errors, after, after)).toEqual(errors);
  });
});

describe('rule checks before sending (the schema\'s limits)', () => {
  it('passes a plain rule', () => {
    expect(validateRule({ ...emptyForm(), name: 'ok' }, t)).toEqual({});
  });

  it('refuses what the server would refuse, keyed by the server\'s field names', () => {
    const f = { ...emptyForm(), name: '   ', description: 'd'.repeat(2001) };
    Object.assign(f.conditions, { services: Array.from({ length: 101 }, (_, i) => `s${i}`), categories: ['x'.repeat(201)], text_contains: 'c'.repeat(501), text_regex: 'r'.repeat(257), service_pattern: '.'.repeat(126) });
    f.threshold = { count: 0, window_minutes: null };
    f.group_wait_seconds = 86_401;
    f.resolve_after_minutes = 0;
    f.repeat_interval_seconds = Number.NaN; // an emptied custom box
    f.channel_ids = Array.from({ length: 51 }, (_, i) => `c${i}`);
    const e = validateRule(f, t);
    expect(e).toEqual({
      name: 'rules.invalid.required',
      description: 'rules.invalid.tooLong {"max":2000}',
      'conditions.services': 'rules.invalid.tooMany {"max":100}',
      'conditions.categories': 'rules.invalid.itemLength {"max":200}',
      'conditions.service_pattern': 'rules.invalid.patternTooLong',
      'conditions.text_contains': 'rules.invalid.tooLong {"max":500}',
      'conditions.text_regex': 'rules.invalid.tooLong {"max":256}',
      'threshold.count': 'rules.invalid.range {"min":1,"max":10000}',
      'threshold.window_minutes': 'rules.invalid.required',
      group_wait_seconds: 'rules.invalid.range {"min":"0 rules.unit.s","max":"1 rules.unit.d"}',
      repeat_interval_seconds: 'rules.invalid.range {"min":"0 rules.unit.s","max":"30 rules.unit.d"}',
      resolve_after_minutes: 'rules.invalid.range {"min":"1 rules.unit.min","max":"7 rules.unit.d"}',
      channel_ids: 'rules.invalid.tooMany {"max":50}',
    });
  });

  it('measures a service pattern as the server compiles it (^(?:…)$, specials escaped, * as .*)', () => {
    expect(globPatternLength('payment-*')).toBe('^(?:payment-.*)$'.length);
    expect(globPatternLength('a?b.c')).toBe('^(?:a.b\\.c)$'.length);
    expect(globPatternLength('x'.repeat(200))).toBe(206);
    expect(globPatternLength('.'.repeat(125))).toBe(256);
  });
});

describe('durations in the unit a person thinks in', () => {
  it('shows a stored value in the largest unit that divides it', () => {
    expect(splitDuration(30, 's')).toEqual({ amount: 30, unit: 's' });
    expect(splitDuration(300, 's')).toEqual({ amount: 5, unit: 'min' });
    expect(splitDuration(14_400, 's')).toEqual({ amount: 4, unit: 'h' });
    expect(splitDuration(0, 's')).toEqual({ amount: 0, unit: 's' });
    expect(splitDuration(90, 'min')).toEqual({ amount: 90, unit: 'min' });
    expect(splitDuration(1440, 'min')).toEqual({ amount: 1, unit: 'd' });
  });

  it('stores an amount typed in another unit in the base unit', () => {
    expect(joinDuration(4, 'h', 's')).toBe(14_400);
    expect(joinDuration(2, 'h', 'min')).toBe(120);
    expect(joinDuration(1.5, 'min', 's')).toBe(90);
  });

  it('reads a value back in words', () => {
    const name = (u: string): string => u;
    expect(formatDuration(90_000, 's', name)).toBe('1 d 1 h');
    expect(formatDuration(30, 's', name)).toBe('30 s');
    expect(formatDuration(10, 'min', name)).toBe('10 min');
  });
});

describe('a refusal from the server, split by field', () => {
  it('puts schema and service reasons under their inputs', () => {
    const schema = new ApiError(400, 'bad_request', 'invalid body', [{ field: 'threshold/count', reason: 'must be >= 1' }, { field: 'conditions/categories/2', reason: 'must NOT have more than 200 characters' }]);
    expect(splitRefusal(schema)).toEqual({ fields: { 'threshold.count': 'must be >= 1', 'conditions.categories': 'must NOT have more than 200 characters' }, general: null });
    const regex = new ApiError(400, 'bad_request', 'conditions.text_regex: nested quantifiers', [{ field: 'conditions.text_regex', reason: 'nested quantifiers such as (a+)+ are refused; repeat a single item instead (at position 4)' }]);
    expect(splitRefusal(regex).fields).toEqual({ 'conditions.text_regex': 'nested quantifiers such as (a+)+ are refused; repeat a single item instead (at position 4)' });
  });

  it('says the rest in one line: a reason with no field, a field the form lacks, or no details', () => {
    const extra = new ApiError(400, 'bad_request', 'invalid body', [{ field: '', reason: 'must NOT have additional properties' }, { field: 'name', reason: 'too long' }]);
    expect(splitRefusal(extra)).toEqual({ fields: { name: 'too long' }, general: 'must NOT have additional properties' });
    expect(splitRefusal(new ApiError(503, 'unavailable', 'the database is busy')).general).toBe('the database is busy');
  });
});
