import { describe, expect, it } from 'vitest';
import { detectSignals } from '../src/modules/incidents/detect.js';
import { DEFAULT_SIGNAL_OPTIONS as O } from '../src/modules/incidents/options.js';
import type { MinuteInput, ServiceSeries, TemplateSeries } from '../src/modules/incidents/types.js';

const M = 60_000;
const NOW = Date.UTC(2030, 0, 10, 12, 30);
const LONG_AGO = NOW - 3 * 24 * 60 * M;
const N = O.recentMinutes + 1;

/** A seeded generator (mulberry32) and Poisson draws from it: noise that is the same every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function poisson(r: () => number, lambda: number): number {
  const l = Math.exp(-lambda);
  let k = 0;
  let p = r();
  while (p > l) { k++; p *= r(); }
  return k;
}

const flat = (perMinute: number, n = N): number[] => Array.from({ length: n }, () => perMinute);
/** `before` per minute, then the last `last.length` minutes as given. */
const withWindow = (before: number, last: number[]): number[] => [...flat(before, N - last.length), ...last];

function tpl(over: Partial<TemplateSeries> = {}): TemplateSeries {
  return { service: 'api', templateId: 't1', template: 'GET <*> 200', level: 'info', minutes: flat(10), sameHourPrevDays: [], firstSeenMs: LONG_AGO, ...over };
}
function svc(over: Partial<ServiceSeries> = {}): ServiceSeries {
  return { service: 'api', total: flat(100), errors: flat(2), firstSeenMs: LONG_AGO, ...over };
}
const input = (templates: TemplateSeries[], services: ServiceSeries[] = [svc()]): MinuteInput => ({ minuteMs: NOW, templates, services });
const kinds = (i: MinuteInput): string[] => detectSignals(i, O).map((s) => `${s.kind}:${s.service}:${s.templateId ?? '-'}`);

describe('new_template', () => {
  it('fires for a warn-or-worse template first seen in the evaluated minute, graded by level', () => {
    const first = { firstSeenMs: NOW + 12_000, minutes: withWindow(0, [3]) };
    const out = detectSignals(input([
      tpl({ templateId: 'e', level: 'error', ...first }),
      tpl({ templateId: 'f', level: 'fatal', ...first }),
      tpl({ templateId: 'w', level: 'warn', ...first }),
    ]), O);
    expect(out.map((s) => [s.kind, s.templateId, s.severity, s.observed])).toEqual([
      ['new_template', 'e', 'high', 3], ['new_template', 'f', 'critical', 3], ['new_template', 'w', 'medium', 3],
    ]);
  });

  it('ignores a new info template of a few lines, but not one arriving in bulk', () => {
    const few = tpl({ templateId: 'i', level: 'info', firstSeenMs: NOW, minutes: withWindow(0, [3]) });
    expect(kinds(input([few]))).toEqual([]);
    const bulk = tpl({ templateId: 'i', level: 'info', firstSeenMs: NOW, minutes: withWindow(0, [O.spikeMinCount]) });
    expect(detectSignals(input([bulk]), O).map((s) => [s.kind, s.severity])).toEqual([['new_template', 'low']]);
  });

  it('does not report a new info template as a spike in the minutes after it appeared', () => {
    // 6 lines a minute since 4 minutes ago: 24 in the window against nothing before it.
    expect(kinds(input([tpl({ level: 'info', firstSeenMs: NOW - 3 * M, minutes: withWindow(0, [0, 6, 6, 6, 6]) })]))).toEqual([]);
  });

  it('does not fire for a template first seen before the evaluated minute', () => {
    expect(kinds(input([tpl({ level: 'error', firstSeenMs: NOW - M, minutes: withWindow(0, [2, 3]) })]))).toEqual([]);
  });

  it('stays quiet while the service is younger than the warm-up, then fires', () => {
    const young = NOW - (O.warmupMinutes - 1) * M;
    const t = tpl({ level: 'error', firstSeenMs: NOW, minutes: withWindow(0, [5]) });
    expect(kinds(input([t], [svc({ firstSeenMs: young })]))).toEqual([]);
    expect(kinds(input([t], [svc({ firstSeenMs: NOW - O.warmupMinutes * M })]))).toEqual(['new_template:api:t1']);
  });
});

describe('rate_spike', () => {
  it('fires on a burst of an existing template against the previous hour', () => {
    const out = detectSignals(input([tpl({ level: 'error', minutes: withWindow(10, [10, 10, 100, 100, 100]) })]), O);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ kind: 'rate_spike', severity: 'high', observed: 320, expected: 50, baseline: 'previous 56 minutes' });
    expect(out[0]?.score).toBeGreaterThanOrEqual(1);
  });

  it('uses the same hour on previous days when enough days exist', () => {
    const out = detectSignals(input([tpl({ minutes: withWindow(10, flat(100, 5)), sameHourPrevDays: [600, 660, 540] })]), O);
    expect(out[0]).toMatchObject({ kind: 'rate_spike', severity: 'medium', expected: 50, baseline: 'same hour on 3 previous days' });
  });

  it('does not fire on the daily rhythm: a morning climb the previous days also had', () => {
    // Quiet for the last hour, busy now, as at this hour on every previous day.
    const t = tpl({ minutes: withWindow(3, flat(100, 5)), sameHourPrevDays: [6000, 6300, 5800] });
    expect(kinds(input([t]))).toEqual([]);
    // Without the history the same minutes are a spike: the daily baseline is what holds it back.
    expect(kinds(input([{ ...t, sameHourPrevDays: [6000] }]))).toEqual(['rate_spike:api:t1']);
  });

  it('does not fire when only the daily baseline sees a rise that has held for the past hour', () => {
    expect(kinds(input([tpl({ minutes: flat(100), sameHourPrevDays: [600, 600] })]))).toEqual([]);
  });

  it('needs the minimum count: 4x of almost nothing is not a spike', () => {
    expect(kinds(input([tpl({ minutes: withWindow(0, [0, 0, 0, 6, 6]) })]))).toEqual([]);
  });
});

describe('rate_drop', () => {
  it('fires when a chatty template falls silent', () => {
    const out = detectSignals(input([tpl({ minutes: withWindow(20, [0, 0, 0, 0, 0]) })]), O);
    expect(out.map((s) => [s.kind, s.severity, s.observed, s.expected])).toEqual([['rate_drop', 'medium', 0, 100]]);
  });

  it('sees a chatty template stop after 2 silent minutes, before its window is empty', () => {
    // 20 a minute: two silent minutes have the chance e^-40; the window still holds 60 of its 100 lines.
    const out = detectSignals(input([tpl({ minutes: withWindow(20, [20, 20, 20, 0, 0]) })]), O);
    expect(out.map((s) => [s.kind, s.observed, s.expected])).toEqual([['rate_drop', 60, 100]]);
    // One silent minute is not yet a stop.
    expect(kinds(input([tpl({ minutes: withWindow(20, [20, 20, 20, 20, 0]) })]))).toEqual([]);
    // 7 a minute: 2 silent minutes (e^-14) are not enough, 3 (e^-21) are.
    expect(kinds(input([tpl({ minutes: withWindow(7, [7, 7, 7, 0, 0]) })]))).toEqual([]);
    expect(kinds(input([tpl({ minutes: withWindow(7, [7, 7, 0, 0, 0]) })]))).toEqual(['rate_drop:api:t1']);
  });

  it('does not take two quiet minutes of a template with gaps for a stop', () => {
    // Lines in only 4 of every 5 minutes: not steady, so only the empty-window rule may speak.
    const gappy = Array.from({ length: N - 5 }, (_, i) => (i % 5 === 4 ? 0 : 25));
    expect(kinds(input([tpl({ minutes: [...gappy, 25, 25, 25, 0, 0] })]))).toEqual([]);
  });

  it('sees a second outage within the hour: an earlier short one does not make silence normal', () => {
    const minutes = [...flat(20, 20), ...flat(0, 8), ...flat(20, N - 5 - 28), 0, 0, 0, 0, 0];
    expect(detectSignals(input([tpl({ minutes })]), O).map((s) => [s.kind, s.expected])).toEqual([['rate_drop', 100]]);
  });

  it('does not report error lines falling silent: that is recovery', () => {
    expect(kinds(input([tpl({ level: 'error', minutes: withWindow(20, [0, 0, 0, 0, 0]) })]))).toEqual([]);
  });

  it('needs enough expected lines for silence to mean something', () => {
    expect(kinds(input([tpl({ minutes: withWindow(5, [0, 0, 0, 0, 0]) })]))).toEqual([]);
  });

  it('does not fire in the quiet hour of a template that is quiet at this hour every day', () => {
    // A drop against the previous hour, but the previous days expect almost nothing now.
    expect(kinds(input([tpl({ minutes: withWindow(20, [0, 0, 0, 0, 0]), sameHourPrevDays: [60, 30, 40] })]))).toEqual([]);
  });
});

describe('error_share', () => {
  it('fires when the service errors far more than its baseline share', () => {
    const s = svc({ errors: withWindow(2, [30, 30, 30, 30, 30]) });
    const out = detectSignals(input([], [s]), O);
    expect(out.map((x) => [x.kind, x.templateId, x.severity, x.observed, x.expected])).toEqual([['error_share', null, 'high', 150, 10]]);
    expect(out[0]?.baseline).toBe('error share 2.0% in previous 56 minutes');
  });

  it('needs the minimum error count and the share delta', () => {
    expect(kinds(input([], [svc({ total: flat(5), errors: withWindow(0, [0, 1, 2, 2, 2]) })]))).toEqual([]);
    expect(kinds(input([], [svc({ errors: withWindow(2, [12, 12, 12, 12, 12]) })]))).toEqual([]);
  });
});

describe('noise', () => {
  it('finds nothing in steady Poisson traffic of many templates over an hour', () => {
    const r = rng(42);
    const rates = [0.05, 0.3, 1, 2, 5, 8, 15, 30, 60, 120];
    const series = rates.map((lambda) => Array.from({ length: 180 }, () => poisson(r, lambda)));
    let found = 0;
    for (let end = 120; end < 180; end++) {
      const templates = series.map((s, k) => tpl({
        templateId: `t${k}`, level: k % 3 === 0 ? 'error' : 'info', minutes: s.slice(end - N + 1, end + 1),
        sameHourPrevDays: [poisson(r, (rates[k] ?? 0) * 60), poisson(r, (rates[k] ?? 0) * 60)],
      }));
      const total = Array.from({ length: N }, (_, i) => templates.reduce((a, t) => a + (t.minutes[i] ?? 0), 0));
      const errors = Array.from({ length: N }, (_, i) => templates.reduce((a, t) => a + (t.level === 'error' ? (t.minutes[i] ?? 0) : 0), 0));
      found += detectSignals(input(templates, [svc({ total, errors })]), O).length;
    }
    expect(found).toBe(0);
  });

  it('does not take a bursty template\'s bursts for spikes nor its gaps for drops', () => {
    // 80 lines every 30 minutes, nothing between: a batch job.
    const job = Array.from({ length: 240 }, (_, i) => (i % 30 === 7 ? 80 : 0));
    // Bursts of 300 lines every 6 minutes average 50 a minute, yet most minutes are empty.
    const chatty = Array.from({ length: 240 }, (_, i) => (i % 6 === 0 ? 300 : 0));
    const found: string[] = [];
    for (let end = 60; end < 240; end++) {
      found.push(...kinds(input([
        tpl({ templateId: 'job', minutes: job.slice(end - N + 1, end + 1) }),
        tpl({ templateId: 'chatty', minutes: chatty.slice(end - N + 1, end + 1) }),
      ])));
    }
    expect(found).toEqual([]);
    // Bursts that spread over two minutes swing a window more than independent minutes would.
    const pairs = Array.from({ length: 240 }, (_, i) => (i % 40 === 3 || i % 40 === 4 ? 90 : 0));
    for (let end = 60; end < 240; end++) found.push(...kinds(input([tpl({ templateId: 'pairs', minutes: pairs.slice(end - N + 1, end + 1) })])));
    expect(found).toEqual([]);
    // The same burst from a template that never bursts before is a spike.
    expect(kinds(input([tpl({ templateId: 'job', minutes: withWindow(0, [0, 0, 80, 0, 0]) })]))).toEqual(['rate_spike:api:job']);
  });
});

describe('hourly bursts', () => {
  it('takes a burst the same hour held on previous days for the batch job it is, when the previous one is out of view', () => {
    // An hourly job: its previous burst is 65 minutes back, beyond the recent minutes.
    const job = tpl({ templateId: 'cron', minutes: withWindow(0, [0, 0, 60, 0, 0]), sameHourPrevDays: [60, 60, 62] });
    expect(kinds(input([job]))).toEqual([]);
    // One previous day is enough to know it, and so are its recent active hours without any...
    expect(kinds(input([{ ...job, sameHourPrevDays: [60] }]))).toEqual([]);
    expect(kinds(input([{ ...job, sameHourPrevDays: [], prevHours: [58, 0, 61, 60, 0, 59, 62, 60] }]))).toEqual([]);
    // ...when they recur: two active hours are no pattern.
    expect(kinds(input([{ ...job, sameHourPrevDays: [], prevHours: [58, 0, 61, 0, 0, 0, 0, 0] }]))).toEqual(['rate_spike:api:cron']);
    // Four times the usual hour in one window is a spike all the same.
    const runaway = { ...job, minutes: withWindow(0, [0, 0, 250, 0, 0]) };
    expect(detectSignals(input([runaway]), O)[0]).toMatchObject({ kind: 'rate_spike', expected: 60, baseline: 'same hour on 3 previous days, in bursts' });
  });

  it('keeps the ordinary expectation for a steady sparse template with the same hourly total', () => {
    const r = rng(7);
    const steady = tpl({ templateId: 'sparse', minutes: [...Array.from({ length: N - 5 }, () => poisson(r, 1)), 12, 12, 12, 12, 12], sameHourPrevDays: [60, 60, 62] });
    expect(detectSignals(input([steady]), O).map((s) => [s.kind, s.expected])).toEqual([['rate_spike', 5]]);
  });
});

describe('ordering', () => {
  it('is strongest first, then by service and template, whatever the input order', () => {
    const fresh = (service: string, templateId: string, count: number): TemplateSeries =>
      tpl({ service, templateId, level: 'error', firstSeenMs: NOW, minutes: withWindow(0, [count]) });
    const templates = [fresh('b', 't2', 2), fresh('a', 't9', 2), fresh('a', 't1', 2), fresh('c', 't1', 7)];
    const services = ['a', 'b', 'c'].map((service) => svc({ service }));
    const expected = ['c:t1', 'a:t1', 'a:t9', 'b:t2'];
    expect(detectSignals(input(templates, services), O).map((s) => `${s.service}:${s.templateId}`)).toEqual(expected);
    expect(detectSignals(input([...templates].reverse(), services), O).map((s) => `${s.service}:${s.templateId}`)).toEqual(expected);
  });
});
