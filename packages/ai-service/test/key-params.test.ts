import { describe, expect, it } from 'vitest';
import { checkKeyParams, slotCount } from '../src/output/key-params.js';
import { validateReply } from '../src/output/validate.js';
import { buildMessages } from '../src/prompts/v1.js';
import { ResultSchema } from '../src/prompts/schema.js';

const TEMPLATE = 'retry <*> of request <*> to <*> failed';

const result = (over: Record<string, unknown> = {}) => ({
  id: 'a',
  is_anomaly: true,
  anomaly_score: 0.8,
  severity: 'high',
  category: 'network',
  summary: 's',
  root_cause: 'r',
  suggestion: 'g',
  confidence: 0.8,
  parameter_dependent: true,
  ...over,
});

/** The key_params a reply's only result carries after validation. */
function validated(keyParams: unknown): unknown {
  const v = validateReply({ results: [result(keyParams === undefined ? {} : { key_params: keyParams })] }, ['a']);
  if (!v.ok) throw new Error(v.error);
  return v.results[0]?.key_params;
}

describe('key_params in the reply schema', () => {
  it('is part of the schema the prompt shows, optional, and explained with an example', () => {
    expect(ResultSchema.properties.key_params).toBeDefined();
    expect(ResultSchema.required).not.toContain('key_params');
    const [system] = buildMessages([], 'en');
    expect(system?.content).toContain('"key_params"');
    expect(system?.content).toMatch(/key_params: when parameter_dependent, the 0-based positions of the <\*>/);
  });

  it('keeps a list of integers, reads numeric strings, and never fails the reply over it', () => {
    expect(validated([2, 0])).toEqual([2, 0]);
    expect(validated(['1', ' 2 '])).toEqual([1, 2]);
    expect(validated(undefined)).toBeUndefined();
    expect(validated(null)).toBeUndefined();
    // Malformed lists become an index no template has, which the range check then rejects.
    expect(validated('host')).toEqual([-1]);
    expect(validated([1.5])).toEqual([-1]);
    expect(validated([{ slot: 1 }])).toEqual([-1]);
    expect(validated(Array.from({ length: 33 }, (_, i) => i))).toEqual([-1]);
  });
});

describe('checkKeyParams', () => {
  const check = (keyParams: number[] | undefined, over: { dependent?: boolean; shown?: string; raw?: string } = {}) =>
    checkKeyParams({ parameter_dependent: over.dependent ?? true, key_params: keyParams }, over.shown ?? TEMPLATE, over.raw ?? over.shown ?? TEMPLATE);

  it('counts the template slots', () => {
    expect(slotCount(TEMPLATE)).toBe(3);
    expect(slotCount('no slots')).toBe(0);
    expect(slotCount('')).toBe(0);
    expect(slotCount('<*>:<*>')).toBe(2);
  });

  it('keeps indexes within the slot count, sorted and distinct', () => {
    expect(check([2])).toEqual({ keyParams: [2], repaired: false });
    expect(check([2, 0, 2])).toEqual({ keyParams: [0, 2], repaired: false });
  });

  it('reads a missing or empty list as every value matters, without a repair', () => {
    expect(check(undefined)).toEqual({ keyParams: [], repaired: false });
    expect(check([])).toEqual({ keyParams: [], repaired: false });
  });

  it('ignores key_params of a verdict that does not depend on values', () => {
    expect(check([7], { dependent: false })).toEqual({ keyParams: [], repaired: false });
  });

  it.each([[[3]], [[-1]], [[0, 8]]])('falls back to every value and counts a repair for %j', (keyParams) => {
    expect(check(keyParams)).toEqual({ keyParams: [], repaired: true });
  });

  it('falls back when there is no template to index into', () => {
    expect(check([0], { shown: '' })).toEqual({ keyParams: [], repaired: true });
  });

  it('falls back when redaction changed the slots the model saw', () => {
    expect(check([1], { shown: 'login <*> with [REDACTED:password]', raw: 'login <*> with <*>' })).toEqual({ keyParams: [], repaired: true });
  });
});
