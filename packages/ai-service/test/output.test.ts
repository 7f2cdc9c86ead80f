import { describe, expect, it } from 'vitest';
import { extractJson, stripFences, stripReasoning } from '../src/output/extract.js';
import { salvageResults, validateReply } from '../src/output/validate.js';

const result = (id: string, over: Record<string, unknown> = {}) => ({
  id,
  is_anomaly: true,
  anomaly_score: 0.9,
  severity: 'high',
  category: 'database',
  summary: 's',
  root_cause: 'r',
  suggestion: 'g',
  confidence: 0.8,
  parameter_dependent: false,
  ...over,
});
const reply = (...ids: string[]) => JSON.stringify({ results: ids.map((id) => result(id)) });

describe('stripReasoning', () => {
  it('removes a closed think block', () => {
    expect(stripReasoning(`<think>hmm {"x":1}</think>\n${reply('a')}`)).toBe(reply('a'));
  });
  it('removes reasoning whose opening tag is missing', () => {
    expect(stripReasoning(`the user wants {"no":1}\n</think>${reply('a')}`)).toBe(reply('a'));
  });
  it('uses the last closing tag', () => {
    expect(stripReasoning(`<think>a</think><think>b</think>{"k":2}`)).toBe('{"k":2}');
  });
  it('leaves nothing of an unclosed think block', () => {
    expect(stripReasoning('<think>still thinking {"results":[]}')).toBe('');
  });
});

describe('extractJson', () => {
  it('reads fenced JSON', () => {
    expect(stripFences('Here:\n```json\n{"a":1}\n```\nbye')).toBe('{"a":1}');
    expect(extractJson('```\n{"a":1}\n```')).toEqual({ ok: true, value: { a: 1 } });
  });
  it('finds the object inside prose and ignores braces in strings', () => {
    expect(extractJson('Sure! {"a":"}{"} done')).toEqual({ ok: true, value: { a: '}{' } });
  });
  it('skips a non-JSON brace group before the answer', () => {
    expect(extractJson('use {placeholders} then {"a":2}')).toEqual({ ok: true, value: { a: 2 } });
  });
  it('reports truncated JSON', () => {
    const out = extractJson('{"results":[{"id":"a"');
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.error).toMatch(/incomplete/);
  });
  it('reports an empty answer after reasoning', () => {
    expect(extractJson('<think>only thoughts</think>   ').ok).toBe(false);
  });
  it('reads JSON after think and fence together', () => {
    expect(extractJson(`<think>x</think>\n\`\`\`json\n${reply('a')}\n\`\`\``)).toEqual({ ok: true, value: JSON.parse(reply('a')) });
  });
});

describe('validateReply', () => {
  it('accepts a valid reply and reports missing and unknown ids', () => {
    const out = validateReply(JSON.parse(reply('a', 'zzz')), ['a', 'b']);
    expect(out).toMatchObject({ ok: true, missing: ['b'], unknown: ['zzz'] });
    if (out.ok) expect(out.results.map((r) => r.id)).toEqual(['a']);
  });
  it('normalises capitalised enums', () => {
    const out = validateReply({ results: [result('a', { severity: 'High', category: ' Network ' })] }, ['a']);
    expect(out.ok && out.results[0]).toMatchObject({ severity: 'high', category: 'network' });
  });
  it('accepts a bare array of results', () => {
    expect(validateReply([result('a')], ['a']).ok).toBe(true);
  });
  it('keeps the first of duplicate results', () => {
    const out = validateReply({ results: [result('a', { summary: 'first' }), result('a', { summary: 'second' })] }, ['a']);
    expect(out.ok && out.results).toEqual([expect.objectContaining({ summary: 'first' })]);
  });
  it.each([
    ['a score above 1', { anomaly_score: 1.5 }, '/results/0/anomaly_score'],
    ['an unknown severity', { severity: 'urgent' }, '/results/0/severity'],
    ['a string boolean', { is_anomaly: 'yes' }, '/results/0/is_anomaly'],
    ['a missing field', { suggestion: undefined }, 'suggestion'],
  ])('rejects %s with a path in the error', (_name, over, path) => {
    const out = validateReply({ results: [result('a', over)] }, ['a']);
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.error).toContain(path);
  });
  it('rejects a reply without results', () => {
    expect(validateReply({ verdicts: [] }, ['a']).ok).toBe(false);
  });
  it('salvages the valid items of an invalid reply', () => {
    const out = salvageResults({ results: [result('a'), result('b', { confidence: 7 })] }, ['a', 'b']);
    expect(out).toMatchObject({ ok: true, missing: ['b'] });
  });
});
