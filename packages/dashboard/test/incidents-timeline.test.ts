import { describe, expect, it } from 'vitest';
import { buildTimeline, timelineOption } from '../src/components/incidents/timeline';
import { buildIncident } from './factories';

const T0 = Date.parse('2026-12-01T10:00:00Z');
const at = (min: number): string => new Date(T0 + min * 60_000).toISOString();
const names = { kind: (k: string) => `kind:${k}`, open: 'open', resolved: 'resolved' };

describe('incident timeline series', () => {
  it('aligns every template on one minute axis, filling gaps and missing minutes with zeros', () => {
    const tl = buildTimeline(buildIncident({
      templates: [
        { id: 'a', template: 'x <*>', service: 'web', series: [{ minute: at(0), count: 1 }, { minute: at(3), count: 4 }] },
        { id: 'b', template: 'y', service: 'web', series: [{ minute: at(1), count: 2 }, { minute: at(5), count: 7 }] },
      ],
      signals: [],
    }));
    expect(tl.times).toEqual([0, 1, 2, 3, 4, 5].map((m) => T0 + m * 60_000));
    expect(tl.lines.map((l) => [l.id, l.counts])).toEqual([['a', [1, 0, 0, 4, 0, 0]], ['b', [0, 2, 0, 0, 0, 7]]]);
  });

  it('puts signalled templates first in their severity colour, and marks each signal start once', () => {
    const sig = buildIncident().signals[0]!;
    const tl = buildTimeline(buildIncident({
      templates: [
        { id: 'quiet', template: 'ok', service: 'web', series: [{ minute: at(0), count: 5 }] },
        { id: 'loud', template: 'boom', service: 'web', series: [{ minute: at(0), count: 9 }] },
      ],
      signals: [
        { ...sig, id: 's1', template_id: 'loud', severity: 'critical', started_at: at(2), kind: 'rate_spike', service: 'web' },
        { ...sig, id: 's2', template_id: 'loud', severity: 'critical', started_at: at(2), kind: 'rate_spike', service: 'web' },
        { ...sig, id: 's3', template_id: null, severity: 'high', started_at: at(0), kind: 'error_share', service: 'web' },
      ],
    }));
    expect(tl.lines.map((l) => [l.id, l.signalled, l.color])).toEqual([['loud', true, '#8b0000'], ['quiet', false, undefined]]);
    expect(tl.starts).toEqual([{ at: T0, kind: 'error_share', service: 'web' }, { at: T0 + 120_000, kind: 'rate_spike', service: 'web' }]);
  });

  it('has no minutes when the server sent no series', () => {
    expect(buildTimeline(buildIncident({ templates: [] })).times).toEqual([]);
  });

  it('draws lines on a time axis with a mark per signal start, the open span and the resolve time', () => {
    const tl = buildTimeline(buildIncident({ resolved_at: at(20), opened_at: at(1), signals: [{ ...buildIncident().signals[0]!, started_at: at(1) }] }));
    const o = timelineOption(tl, names) as {
      xAxis: { type: string };
      series: { type: string; data: [number, number][]; markLine?: { data: { xAxis: number; name: string }[] }; markArea?: { data: [{ xAxis: number }, { xAxis: number }][] } }[];
    };
    expect(o.xAxis.type).toBe('time');
    expect(o.series[0]!.data[0]).toEqual([T0, 42]);
    expect(o.series[0]!.markLine?.data.map((m) => [m.xAxis, m.name])).toEqual([[T0 + 60_000, 'kind:new_template · payment-api'], [T0 + 20 * 60_000, 'resolved']]);
    expect(o.series[0]!.markArea?.data[0]?.map((p) => p.xAxis)).toEqual([T0 + 60_000, T0 + 20 * 60_000]);
  });

  it('draws signals starting in the same minute as one line, its label naming each kind once, reaching away from the nearer edge', () => {
    const sig = buildIncident().signals[0]!;
    const tl = buildTimeline(buildIncident({ signals: [
      { ...sig, id: 'a', kind: 'new_template', started_at: at(2) },
      { ...sig, id: 'b', kind: 'error_share', template_id: null, started_at: at(2) },
      { ...sig, id: 'c', kind: 'rate_spike', started_at: at(2) },
      { ...sig, id: 'd', kind: 'rate_spike', service: 'web', started_at: at(2) },
    ] }));
    const o = timelineOption(tl, names) as { series: { markLine?: { data: { xAxis: number; label: { formatter: string; align: string } }[] } }[] };
    const lines = o.series[0]!.markLine!.data;
    expect(lines[0]!.label.align).toBe('right'); // the one series has minute 0 only: minute 2 is right of its middle
    expect(lines.map((m) => m.xAxis)).toEqual([T0 + 120_000]);
    expect(lines[0]!.label.formatter).toBe('kind:new_template · kind:error_share · kind:rate_spike');
  });

  it('escapes template text in the tooltip', () => {
    const tl = buildTimeline(buildIncident({ templates: [{ id: 'x', template: '<img src=x onerror=alert(1)>', service: 'web', series: [{ minute: at(0), count: 3 }] }] }));
    const tip = (timelineOption(tl, names) as { tooltip: { formatter: (r: unknown) => string } }).tooltip.formatter;
    const html = tip([{ marker: '', seriesIndex: 0, value: [T0, 3] }]);
    expect(html).not.toContain('<img');
    expect(html).toContain('&#60;img');
  });
});
