import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api/http';
import { errorAt, fieldErrors } from '../src/lib/field-errors';

describe('fieldErrors', () => {
  it('reads schema validation details (slash paths, array indexes dropped)', () => {
    const err = new ApiError(400, 'bad_request', 'x', [
      { field: 'conditions/levels/0', reason: 'must be equal to one of the allowed values' },
      { field: 'name', reason: 'must NOT have fewer than 1 characters' },
    ]);
    expect(fieldErrors(err)).toEqual({
      'conditions.levels': 'must be equal to one of the allowed values',
      name: 'must NOT have fewer than 1 characters',
    });
  });

  it('reads service details with dotted fields and joins two reasons for one field', () => {
    const err = new ApiError(400, 'bad_request', 'x', [
      { field: 'conditions.text_regex', reason: 'nested quantifiers are not allowed' },
      { field: 'conditions.text_regex', reason: 'too long' },
    ]);
    expect(fieldErrors(err)).toEqual({ 'conditions.text_regex': 'nested quantifiers are not allowed; too long' });
  });

  it('reads channel settings errors under the given prefix; a whole-object error goes to the prefix itself', () => {
    const err = new ApiError(400, 'bad_request', 'invalid webhook channel settings', {
      errors: [{ path: '/url', message: 'must match format "uri"' }, { path: '/', message: 'must have required property url' }],
    });
    expect(fieldErrors(err, 'config.')).toEqual({ 'config.url': 'must match format "uri"', config: 'must have required property url' });
  });

  it('gives nothing for errors that are not API errors or carry no details', () => {
    expect(fieldErrors(new Error('boom'))).toEqual({});
    expect(fieldErrors(new ApiError(409, 'conflict', 'exists'))).toEqual({});
  });

  it('errorAt finds a field and the fields inside it', () => {
    const errors = { 'conditions.levels': 'a', 'conditions.text_regex': 'b', name: 'c' };
    expect(errorAt(errors, 'conditions')).toBe('a; b');
    expect(errorAt(errors, 'name')).toBe('c');
    expect(errorAt(errors, 'threshold')).toBeUndefined();
  });
});
