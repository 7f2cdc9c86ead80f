import { describe, expect, it } from 'vitest';
import { incidentTitle } from '../src/modules/incidents/title.js';
import type { ActiveSignal } from '../src/modules/incidents/types.js';

const signal = (over: Partial<ActiveSignal>): ActiveSignal => ({
  id: 'sig_1', kind: 'new_template', service: 'checkout', templateId: 't1', template: 'payment <*> declined', severity: 'high',
  startedMs: 0, lastMs: 0, endedMs: null, observed: 10, expected: 0, score: 2, baseline: '', incidentId: 'inc_1', ...over,
});

describe('incident titles before the story', () => {
  it('names the most severe signal, then the services, in English', () => {
    const s = [signal({ kind: 'rate_drop', severity: 'medium', score: 9 }), signal({ kind: 'error_share', severity: 'high', score: 1.2 })];
    expect(incidentTitle(s, ['checkout', 'payment'])).toBe('Error share up in checkout, payment');
    expect(incidentTitle([signal({})], ['a', 'b', 'c', 'd', 'e'], 'en')).toBe('New error template in a, b, c and 2 more');
  });

  it('speaks Chinese when the analyses do', () => {
    expect(incidentTitle([signal({ kind: 'rate_spike', severity: 'high' })], ['checkout'], 'zh-CN')).toBe('checkout：错误日志突增');
    expect(incidentTitle([signal({ severity: 'critical' })], ['a', 'b', 'c', 'd'], 'zh-CN')).toBe('a、b、c 等 4 个服务：新的致命错误日志');
    expect(incidentTitle([], ['web'], 'zh-CN')).toBe('web：故障');
  });
});
