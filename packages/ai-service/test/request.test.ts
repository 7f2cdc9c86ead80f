import { describe, expect, it } from 'vitest';
import { AnalysisError } from '../src/errors.js';
import { REQUEST_LIMITS, validateRequest } from '../src/request.js';
import type { AnalyzeRequest } from '../src/types.js';
import { buildLog, buildLogs } from './factories.js';

const reject = (request: AnalyzeRequest): string => {
  try {
    validateRequest(request);
  } catch (err) {
    expect(err).toBeInstanceOf(AnalysisError);
    expect((err as AnalysisError).code).toBe('invalid');
    return (err as Error).message;
  }
  throw new Error('accepted');
};

describe('request validation', () => {
  it('accepts a normal batch', () => {
    expect(() => validateRequest({ logs: buildLogs(REQUEST_LIMITS.maxLogs), language: 'zh-CN' })).not.toThrow();
  });
  it.each([
    ['an empty batch', { logs: [] }, /empty batch/],
    ['too many logs', { logs: buildLogs(REQUEST_LIMITS.maxLogs + 1) }, /too many logs/],
    ['a missing id', { logs: [buildLog({ id: '' })] }, /missing id/],
    ['duplicate ids', { logs: [buildLog({ id: 'x' }), buildLog({ id: 'x' })] }, /duplicate id "x"/],
    ['an oversize message', { logs: [buildLog({ message: 'a'.repeat(REQUEST_LIMITS.maxMessageChars + 1) })] }, /exceeds/],
    ['an oversize attribute', { logs: [buildLog({ attributes: { k: 'v'.repeat(REQUEST_LIMITS.maxAttributeChars) } })] }, /attribute "k"/],
    ['an unknown language', { logs: [buildLog()], language: 'fr' as 'en' }, /unknown language/],
  ])('rejects %s', (_name, request, message) => {
    expect(reject(request)).toMatch(message);
  });
});
