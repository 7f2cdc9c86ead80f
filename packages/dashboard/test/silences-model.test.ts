import { describe, expect, it } from 'vitest';
import { createAppI18n } from '../src/i18n';
import { emptySilence, formatMatcher, matchesEverything, operatorOf, rowKey, silenceBody, toMatcher, validateSilence, type SilenceForm } from '../src/components/silences/silenceModel';

const { t } = createAppI18n('en').global;
const tr = (k: string, p?: Record<string, unknown>): string => (p ? t(k, p) : t(k));
const NOW = Date.parse('2026-12-01T10:00:00.000Z');
const form = (over: Partial<SilenceForm> = {}): SilenceForm => ({ ...emptySilence(new Date(NOW)), matchers: [{ name: 'service', op: '=', value: 'payment-api' }], ...over });

describe('matchers as Alertmanager writes them', () => {
  it('prints the four operators with the value quoted', () => {
    expect(formatMatcher({ name: 'service', value: 'payment-api' })).toBe('service="payment-api"');
    expect(formatMatcher({ name: 'service', value: 'payment-api', is_equal: false })).toBe('service!="payment-api"');
    expect(formatMatcher({ name: 'rule', value: 'db.*', is_regex: true })).toBe('rule=~"db.*"');
    expect(formatMatcher({ name: 'severity', value: 'info|low', is_regex: true, is_equal: false })).toBe('severity!~"info|low"');
    expect(formatMatcher({ name: 'template', value: 'say "hi"' })).toBe('template="say \\"hi\\""');
  });

  it('turns form rows into API matchers with the flags only where they differ from the defaults, and back', () => {
    expect(toMatcher({ name: 'service', op: '=', value: 'a' })).toEqual({ name: 'service', value: 'a' });
    expect(toMatcher({ name: 'service', op: '!~', value: 'a' })).toEqual({ name: 'service', value: 'a', is_regex: true, is_equal: false });
    for (const op of ['=', '!=', '=~', '!~'] as const) expect(operatorOf(toMatcher({ name: 'rule', op, value: 'x' }))).toBe(op);
  });

  it('warns when every matcher also matches a missing label (the silence would mute everything)', () => {
    expect(matchesEverything([{ name: 'service', op: '=~', value: '.*' }])).toBe(true);
    expect(matchesEverything([{ name: 'service', op: '=', value: '' }, { name: 'rule', op: '!=', value: 'x' }])).toBe(true);
    expect(matchesEverything([{ name: 'service', op: '=~', value: '.*' }, { name: 'rule', op: '=', value: 'x' }])).toBe(false);
  });
});

describe('the create form', () => {
  it('a preset is a duration from now', () => {
    expect(silenceBody(form({ preset: 240, comment: '  deploy ' }))).toEqual({ matchers: [{ name: 'service', value: 'payment-api' }], duration_minutes: 240, comment: 'deploy' });
  });

  it('a custom range sends its start and its end, or its start and a duration in minutes', () => {
    const start = new Date(NOW + 3_600_000);
    const end = new Date(NOW + 7_200_000);
    expect(silenceBody(form({ preset: 'custom', start, endMode: 'end', end }))).toMatchObject({ starts_at: start.toISOString(), ends_at: end.toISOString() });
    expect(silenceBody(form({ preset: 'custom', start, endMode: 'duration', amount: 3, unit: 'd' }))).toMatchObject({ starts_at: start.toISOString(), duration_minutes: 4320 });
  });

  it('checks what the server checks: one to twenty matchers, values up to 256, regexes that compile, a comment up to 2000', () => {
    expect(validateSilence(form(), tr, NOW)).toEqual({});
    expect(validateSilence(form({ matchers: [] }), tr, NOW)).toEqual({ matchers: 'At least one matcher' });
    const many = Array.from({ length: 21 }, () => ({ name: 'service', op: '=' as const, value: 'a' }));
    expect(validateSilence(form({ matchers: many }), tr, NOW)).toEqual({ matchers: 'At most 20 matchers' });
    const rows = [{ name: 'service', op: '=' as const, value: 'v'.repeat(257) }, { name: 'rule', op: '=~' as const, value: '(' }, { name: 'host', op: '=' as const, value: 'x' }];
    const errors = validateSilence(form({ matchers: rows, comment: 'c'.repeat(2001) }), tr, NOW);
    expect(errors[rowKey(0)]).toBe('At most 256 characters');
    expect(errors[rowKey(1)]).toMatch(/^Not a valid regular expression/);
    expect(errors[rowKey(2)]).toBe('Choose a label');
    expect(errors.comment).toBe('At most 2000 characters');
  });

  it('a custom range must end after its start and after now, and last 1 minute to 366 days', () => {
    const past = form({ preset: 'custom', start: new Date(NOW - 7_200_000), endMode: 'end', end: new Date(NOW - 3_600_000) });
    expect(validateSilence(past, tr, NOW)).toEqual({ ends_at: 'Must be later than the start and than now' });
    expect(validateSilence(form({ preset: 'custom', endMode: 'end', end: null }), tr, NOW)).toEqual({ ends_at: 'Required' });
    expect(validateSilence(form({ preset: 'custom', amount: 367, unit: 'd' }), tr, NOW)).toEqual({ duration_minutes: 'From 1 minute to 366 days' });
    expect(validateSilence(form({ preset: 'custom', amount: 366, unit: 'd' }), tr, NOW)).toEqual({});
  });
});
