import { describe, expect, it } from 'vitest';
import { decide, type AlertClock, type Timings } from '../src/modules/alerting/timing.js';
import { advanceCursor } from '../src/modules/alerting/cursor.js';
import { addHit, compileConditions, compileGlob, fingerprint, type ResultRow } from '../src/modules/alerting/match.js';
import { compileMatchers } from '../src/modules/alerting/silences.js';
import { AppError } from '../src/lib/errors.js';

const S = 1000;
const M = 60 * S;

const row = (over: Partial<ResultRow> = {}): ResultRow => ({
  seq: '1', log_id: '1', ts: '2030-01-01T00:00:00.000Z', service: 'api', level: 'error', template_id: 't1', is_anomaly: true,
  severity: 'high', category: 'database', summary: 's', root_cause: 'r', suggestion: 'f', demo: false, message: 'Database timeout after 30s', ...over,
});

describe('rule conditions', () => {
  it('combines every condition with and', () => {
    const test = compileConditions({ min_severity: 'high', anomaly: true, categories: ['database'], service_pattern: 'a*', levels: ['error'], templates: ['t1'], text_contains: 'TIMEOUT', text_regex: 'after \\d+s' });
    expect(test(row())).toBe(true);
    expect(test(row({ severity: 'medium' }))).toBe(false);
    expect(test(row({ severity: 'critical' }))).toBe(true);
    expect(test(row({ is_anomaly: false }))).toBe(false);
    expect(test(row({ service: 'web' }))).toBe(false);
    expect(test(row({ message: 'all good' }))).toBe(false);
    expect(test(row({ template_id: null }))).toBe(false);
  });

  it('turns an unsafe regex into a 400 naming the field', () => {
    let err: unknown;
    try {
      compileConditions({ text_regex: '(a+)\\1' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(400);
    expect((err as AppError).message).toMatch(/^conditions\.text_regex: backreferences/);
  });

  it('matches service globs against the whole name', () => {
    const g = compileGlob('pay*-svc?');
    expect(g('payment-svc1')).toBe(true);
    expect(g('payment-svc')).toBe(false);
    expect(g('xpayment-svc1')).toBe(false);
    expect(compileGlob('a.b')('axb')).toBe(false);
    expect(compileGlob('*')('')).toBe(true);
    expect(compileGlob('a*b*c')('a-b-b-c')).toBe(true);
    expect(compileGlob('a*b*c')('a-b-b-d')).toBe(false);
    expect(compileGlob('支付-*')('支付-网关')).toBe(true);
  });

  it('takes the longest service pattern the schema allows, full of characters a regex would escape', () => {
    const dots = '.'.repeat(200);
    expect(() => compileConditions({ service_pattern: dots })).not.toThrow();
    expect(compileGlob(dots)(dots)).toBe(true);
    expect(compileGlob(dots)('x'.repeat(200))).toBe(false);
    expect(compileGlob('(a+)+[x]{2}$')('(a+)+[x]{2}$')).toBe(true);
  });

  it('gives one fingerprint per rule and labels, whatever the label order', () => {
    expect(fingerprint('r1', { service: 'a', category: 'db' })).toBe(fingerprint('r1', { category: 'db', service: 'a' }));
    expect(fingerprint('r1', { service: 'a' })).not.toBe(fingerprint('r2', { service: 'a' }));
    expect(fingerprint('r1', { service: 'a' })).not.toBe(fingerprint('r1', { service: 'b' }));
  });

  it('counts thresholds over a sliding window, out-of-order hits included', () => {
    let h = addHit([], 0, 5 * M, 3);
    h = addHit(h.hits, 4 * M, 5 * M, 3);
    expect(h.met).toBe(false);
    h = addHit(h.hits, 6 * M, 5 * M, 3); // the hit at 0 left the window
    expect(h).toEqual({ hits: [4 * M, 6 * M], met: false });
    h = addHit(h.hits, 5 * M, 5 * M, 3);
    expect(h.met).toBe(true);
  });
});

describe('notification timing', () => {
  const t: Timings = { groupWaitMs: 30 * S, groupIntervalMs: 5 * M, repeatIntervalMs: 60 * M, resolveAfterMs: 10 * M };
  const fresh: AlertClock = { startedAt: 0, lastMatchAt: 0, lastNotifiedAt: null, rounds: 0, count: 5, notifiedCount: 0, acked: false };

  it('waits group_wait before the first notification', () => {
    expect(decide(fresh, t, 29 * S)).toEqual({ kind: 'wait', dueAt: 30 * S });
    expect(decide(fresh, t, 30 * S)).toEqual({ kind: 'notify' });
  });

  it('notifies new results after group_interval and unchanged alerts after repeat_interval', () => {
    const notified = { ...fresh, lastNotifiedAt: 30 * S, rounds: 1, notifiedCount: 5, lastMatchAt: 4 * M };
    expect(decide({ ...notified, count: 9 }, t, 5 * M)).toEqual({ kind: 'wait', dueAt: 30 * S + 5 * M });
    expect(decide({ ...notified, count: 9 }, t, 30 * S + 5 * M)).toEqual({ kind: 'notify' });
    const live = { ...notified, lastMatchAt: 61 * M };
    expect(decide(live, t, 60 * M)).toEqual({ kind: 'wait', dueAt: 30 * S + 60 * M });
    expect(decide(live, t, 30 * S + 60 * M)).toEqual({ kind: 'notify' });
    expect(decide({ ...live, acked: true }, t, 30 * S + 60 * M)).toEqual({ kind: 'wait', dueAt: 71 * M });
  });

  it('resolves after the quiet period, silenced or not, and a silence holds notifications until it ends', () => {
    expect(decide(fresh, t, 10 * M)).toEqual({ kind: 'resolve' });
    expect(decide(fresh, t, 10 * M, 20 * M)).toEqual({ kind: 'resolve' });
    expect(decide(fresh, t, 40 * S, 2 * M)).toEqual({ kind: 'wait', dueAt: 2 * M });
  });
});

describe('result cursor', () => {
  const start = { cursor: 10, horizonSeq: null, horizonAt: null };

  it('follows consecutive seqs at once', () => {
    expect(advanceCursor(start, [11, 12, 13], 0, 30 * S)).toEqual({ take: 3, next: { cursor: 13, horizonSeq: null, horizonAt: null } });
  });

  it('waits on a gap, then takes every gap seen by then as permanent', () => {
    const a = advanceCursor(start, [11, 13, 14, 17], 0, 30 * S);
    expect(a).toEqual({ take: 1, next: { cursor: 11, horizonSeq: 17, horizonAt: 0 } });
    expect(advanceCursor(a.next, [13, 14, 17], 10 * S, 30 * S).take).toBe(0);
    const late = advanceCursor(a.next, [12, 13, 14, 17], 10 * S, 30 * S); // seq 12 committed late: nothing skipped
    expect(late.take).toBe(3); // 15 and 16 are still awaited
    const settled = advanceCursor(a.next, [13, 14, 17, 18, 20], 30 * S, 30 * S);
    expect(settled).toEqual({ take: 4, next: { cursor: 18, horizonSeq: 20, horizonAt: 30 * S } });
  });

  it('moves past a settled horizon even when every row at or below it is missing', () => {
    const waiting = { cursor: 5, horizonSeq: 10, horizonAt: 0 };
    expect(advanceCursor(waiting, [12], 30 * S, 30 * S)).toEqual({ take: 0, next: { cursor: 10, horizonSeq: 12, horizonAt: 30 * S } });
    expect(advanceCursor(waiting, [11], 30 * S, 30 * S).next.cursor).toBe(11);
  });
});

describe('silence matchers', () => {
  it('match equality and whole-value regexes, negated ones, and read missing labels as empty', () => {
    const labels = { service: 'payment-api', severity: 'high', rule: 'DB errors' };
    expect(compileMatchers([{ name: 'service', value: 'payment-api' }])(labels)).toBe(true);
    expect(compileMatchers([{ name: 'service', value: 'payment', is_regex: true }])(labels)).toBe(false);
    expect(compileMatchers([{ name: 'service', value: 'payment-.*', is_regex: true }, { name: 'severity', value: 'critical', is_equal: false }])(labels)).toBe(true);
    expect(compileMatchers([{ name: 'template', value: '' }])(labels)).toBe(true);
    expect(compileMatchers([{ name: 'category', value: 'db' }])(labels)).toBe(false);
  });
});
