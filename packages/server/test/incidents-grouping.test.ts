import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectSignals } from '../src/modules/incidents/detect.js';
import { advanceIncidents } from '../src/modules/incidents/grouping.js';
import { DEFAULT_GROUPING_OPTIONS as G, DEFAULT_SIGNAL_OPTIONS as O } from '../src/modules/incidents/options.js';
import type { GroupingState, IncidentChange, SignalKind, SignalObservation, TemplateSeries } from '../src/modules/incidents/types.js';

const M = 60_000;
const T0 = Date.UTC(2030, 0, 10, 12, 0);
const at = (minute: number): number => T0 + minute * M;

function obs(minute: number, service: string, templateId: string | null, kind: SignalKind = 'rate_spike', over: Partial<SignalObservation> = {}): SignalObservation {
  return {
    kind, service, templateId, template: templateId ?? 'error and fatal lines', minuteMs: at(minute), severity: 'medium',
    observed: 100, expected: 10, score: 2, baseline: 'previous 56 minutes', ...over,
  };
}

function ids(): (prefix: 'inc' | 'sig') => string {
  let n = 0;
  return (prefix) => `${prefix}_${++n}`;
}

interface Run { state: GroupingState; changes: (IncidentChange & { minute: number })[]; ended: { minute: number; id: string }[] }

/** Steps the grouping minute by minute from 0 to `last`, with the observations planted per minute. */
function run(planted: Record<number, SignalObservation[]>, last: number): Run {
  const newId = ids();
  let state: GroupingState = { incidents: [], signals: [] };
  const changes: Run['changes'] = [];
  const ended: Run['ended'] = [];
  for (let m = 0; m <= last; m++) {
    const step = advanceIncidents(state, planted[m] ?? [], at(m), G, newId);
    state = step.state;
    changes.push(...step.changes.map((c) => ({ ...c, minute: m })));
    ended.push(...step.endedSignals.map((s) => ({ minute: m, id: s.id })));
  }
  return { state, changes, ended };
}

const events = (r: Run): string[] => r.changes.map((c) => `${c.minute} ${c.type} ${c.incident.id}`);
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('signals', () => {
  it('keeps a continuing condition as one signal whose evidence is its strongest minute', () => {
    const planted = Object.fromEntries(range(0, 9).map((m) => [m, [obs(m, 'api', 't1', 'rate_spike', { score: m === 4 ? 9 : 2, observed: m === 4 ? 900 : 100 })]]));
    const newId = ids();
    let state: GroupingState = { incidents: [], signals: [] };
    let updates = 0;
    for (let m = 0; m <= 9; m++) {
      const step = advanceIncidents(state, planted[m] ?? [], at(m), G, newId);
      state = step.state;
      updates += step.updatedSignals.length;
      if (m === 0) expect(step.startedSignals).toHaveLength(1);
      else expect(step.startedSignals).toHaveLength(0);
    }
    expect(updates).toBe(9);
    expect(state.signals).toHaveLength(1);
    expect(state.signals[0]).toMatchObject({ startedMs: at(0), lastMs: at(9), endedMs: null, observed: 900, score: 9 });
    expect(state.incidents).toHaveLength(1);
    expect(state.incidents[0]).toMatchObject({ signalCount: 1, lastSignalMs: at(9) });
  });

  it('ends a signal once it has not been observed for signalEndMinutes', () => {
    const r = run({ 0: [obs(0, 'api', 't1')], 1: [obs(1, 'api', 't1')] }, 10);
    expect(r.ended).toEqual([{ minute: 1 + G.signalEndMinutes, id: 'sig_2' }]);
  });

  it('starts a new signal when an ended condition comes back, in the same incident', () => {
    const r = run({ 0: [obs(0, 'api', 't1')], 8: [obs(8, 'api', 't1')] }, 8);
    expect(r.state.signals.map((s) => [s.id, s.endedMs])).toEqual([['sig_2', at(5)], ['sig_3', null]]);
    expect(events(r)).toEqual(['0 opened inc_1', '0 story_due inc_1', '8 grew inc_1', '8 story_due inc_1']);
  });
});

describe('incidents', () => {
  it('resolves resolveAfterMinutes after the last signal, and drops it from the state', () => {
    const r = run({ 0: [obs(0, 'api', 't1')], 3: [obs(3, 'api', 't1')] }, 3 + G.resolveAfterMinutes);
    expect(events(r)).toEqual(['0 opened inc_1', '0 story_due inc_1', `${3 + G.resolveAfterMinutes} resolved inc_1`]);
    const resolved = r.changes.at(-1);
    expect(resolved?.incident.resolvedMs).toBe(at(3 + G.resolveAfterMinutes));
    expect(r.state).toEqual({ incidents: [], signals: [] });
  });

  it('does not resolve while a signal continues', () => {
    const planted = Object.fromEntries(range(0, 40).map((m) => [m, [obs(m, 'api', 't1')]]));
    // Last observed at 40: the 41 minutes of the condition plus resolveAfterMinutes, and not a minute earlier.
    expect(events(run(planted, 40 + G.resolveAfterMinutes)).filter((e) => e.includes('resolved'))).toEqual([`${40 + G.resolveAfterMinutes} resolved inc_1`]);
  });

  it('joins a cascade across two services into one incident', () => {
    const r = run({ 0: [obs(0, 'db', 't1', 'rate_drop')], 3: [obs(3, 'api', null, 'error_share', { severity: 'high' })] }, 3);
    expect(events(r)).toEqual(['0 opened inc_1', '0 story_due inc_1', '3 grew inc_1', '3 story_due inc_1']);
    const grew = r.changes.find((c) => c.type === 'grew');
    expect(grew?.type === 'grew' && grew.signalIds).toEqual(['sig_3']);
    expect(r.state.incidents[0]).toMatchObject({ services: ['db', 'api'], templateIds: ['t1'], signalCount: 2, severity: 'high' });
  });

  it('opens a second incident for an unrelated later signal of another service', () => {
    const r = run({ 0: [obs(0, 'db', 't1')], [G.crossServiceMinutes + 1]: [obs(G.crossServiceMinutes + 1, 'api', 't2')] }, 8);
    expect(r.state.incidents.map((i) => [i.id, i.services])).toEqual([['inc_1', ['db']], ['inc_3', ['api']]]);
  });

  it('joins a later signal of the same service within joinGapMinutes, not after', () => {
    const within = run({ 0: [obs(0, 'api', 't1')], [G.joinGapMinutes]: [obs(G.joinGapMinutes, 'api', 't2')] }, G.joinGapMinutes);
    expect(within.state.incidents).toHaveLength(1);
    const after = run({ 0: [obs(0, 'api', 't1')], [G.joinGapMinutes + 1]: [obs(G.joinGapMinutes + 1, 'api', 't2')] }, G.joinGapMinutes + 1);
    expect(after.state.incidents).toHaveLength(2);
  });

  it('opens one incident for several signals in one minute', () => {
    const r = run({ 0: [obs(0, 'api', 't1'), obs(0, 'api', 't2'), obs(0, 'db', null, 'error_share')] }, 0);
    expect(events(r)).toEqual(['0 opened inc_1', '0 story_due inc_1']);
    expect(r.changes[0]?.incident).toMatchObject({ signalCount: 3, services: ['api', 'db'] });
  });

  it('returns state that survives JSON as it is, and leaves the given state alone', () => {
    const start: GroupingState = { incidents: [], signals: [] };
    const step = advanceIncidents(start, [obs(0, 'api', 't1')], at(0), G, ids());
    expect(start).toEqual({ incidents: [], signals: [] });
    expect(JSON.parse(JSON.stringify(step.state))).toEqual(step.state);
    const again = advanceIncidents(JSON.parse(JSON.stringify(step.state)) as GroupingState, [obs(1, 'api', 't1')], at(1), G, ids());
    expect(again.state.signals).toHaveLength(1);
    expect(again.updatedSignals.map((s) => s.id)).toEqual([step.state.signals[0]?.id]);
  });
});

describe('story_due', () => {
  it('is due on open and on material growth only, and never more than maxStories times', () => {
    // One new signal of the same service per minute: 1, 2, ... 8 signals.
    const planted = Object.fromEntries(range(0, 7).map((m) => [m, [obs(m, 'api', `t${m}`)]]));
    const r = run(planted, 7);
    const due = r.changes.filter((c) => c.type === 'story_due').map((c) => [c.minute, c.incident.signalCount, c.incident.stories]);
    // Due at 1 signal (open), 2 (twice 1) and 4 (twice 2); 3 is not material; 8 would be but the cap is reached.
    expect(due).toEqual([[0, 1, 1], [1, 2, 2], [3, 4, 3]]);
    expect(r.state.incidents[0]).toMatchObject({ stories: 3, storiedSignals: 4, storiedServices: 1, signalCount: 8 });
  });

  it('is due when a service joins that the last story does not name', () => {
    const planted = { 0: [obs(0, 'api', 't1'), obs(0, 'api', 't2')], 1: [obs(1, 'api', 't3')], 2: [obs(2, 'db', 't4')] };
    const due = run(planted, 2).changes.filter((c) => c.type === 'story_due').map((c) => c.minute);
    expect(due).toEqual([0, 2]);
  });
});

/** Seeded Poisson draws (mulberry32 + Knuth): fast-check picks the seed and the rates. */
function poissonSource(seed: number): (lambda: number) => number {
  let a = seed >>> 0;
  const r = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (lambda) => {
    const l = Math.exp(-lambda);
    let k = 0;
    let p = r();
    while (p > l) { k++; p *= r(); }
    return k;
  };
}

describe('quiet traffic', () => {
  it('opens no incident over an hour of random steady Poisson traffic', () => {
    const template = fc.record({ lambda: fc.double({ min: 0, max: 60, noNaN: true }), level: fc.constantFrom('info', 'warn', 'error') });
    const service = fc.array(template, { minLength: 1, maxLength: 6 });
    fc.assert(fc.property(fc.array(service, { minLength: 1, maxLength: 3 }), fc.integer(), fc.boolean(), (services, seed, history) => {
      const draw = poissonSource(seed);
      const N = O.recentMinutes + 1;
      const start = T0 - 3 * 24 * 60 * M;
      // Two hours of history before the evaluated hour, then the hour itself.
      const series = services.map((ts) => ts.map((t) => ({ ...t, minutes: range(0, 179).map(() => draw(t.lambda)), days: [draw(t.lambda * 60), draw(t.lambda * 60)] })));
      const newId = ids();
      let state: GroupingState = { incidents: [], signals: [] };
      let opened = 0;
      for (let end = 120; end < 180; end++) {
        const templates: TemplateSeries[] = series.flatMap((ts, si) => ts.map((t, ti) => ({
          service: `s${si}`, templateId: `s${si}t${ti}`, template: 'x <*>', level: t.level, minutes: t.minutes.slice(end - N + 1, end + 1),
          sameHourPrevDays: history ? t.days : [], firstSeenMs: start,
        })));
        const services2 = series.map((_, si) => {
          const mine = templates.filter((t) => t.service === `s${si}`);
          const col = (errorsOnly: boolean): number[] => range(0, N - 1).map((i) => mine.reduce((a, t) => a + (!errorsOnly || t.level === 'error' ? (t.minutes[i] ?? 0) : 0), 0));
          return { service: `s${si}`, total: col(false), errors: col(true), firstSeenMs: start };
        });
        const step = advanceIncidents(state, detectSignals({ minuteMs: at(end), templates, services: services2 }, O), at(end), G, newId);
        state = step.state;
        opened += step.changes.filter((c) => c.type === 'opened').length;
      }
      expect(opened).toBe(0);
    }), { numRuns: 40, seed: 20301 });
  });
});
