import { describe, expect, it } from 'vitest';
import { levelOption, trendOption } from '../src/components/overview/chart-options';

const T0 = Date.parse('2026-12-01T10:00:00Z');
type Tip = (raw: unknown) => string;
const tooltipOf = (o: unknown): Tip => (o as { tooltip: { formatter: Tip } }).tooltip.formatter;

describe('overview chart options', () => {
  it('stacks one bar series per level in the level colours', () => {
    const o = levelOption({ times: [T0, T0 + 60_000], bucketSeconds: 60, series: [{ level: 'error', counts: [1, 0] }, { level: 'info', counts: [3, 2] }] }, (l) => l, 'Total') as {
      series: { name: string; stack: string; data: number[]; itemStyle: { color: string } }[];
    };
    expect(o.series.map((s) => [s.name, s.stack, s.itemStyle.color])).toEqual([['error', 'logs', '#e5484d'], ['info', 'logs', '#3b82f6']]);
  });

  it('escapes series names in the level tooltip and adds the total', () => {
    const o = levelOption({ times: [T0], bucketSeconds: 60, series: [] }, (l) => l, 'Total');
    const html = tooltipOf(o)([
      { marker: '', seriesName: '<img src=x onerror=alert(1)>', value: 2, dataIndex: 0 },
      { marker: '', seriesName: 'info', value: 3, dataIndex: 0 },
    ]);
    expect(html).not.toContain('<img');
    expect(html).toContain('&#60;img');
    expect(html).toMatch(/Total.*>5</);
  });

  it('shows the anomaly rate and the analysed count in the trend tooltip', () => {
    const o = trendOption({ times: [T0, T0 + 60_000], bucketSeconds: 60, total: [0, 40], anomalies: [0, 3] }, { analysed: 'Analysed', anomalies: 'Anomalies' });
    const html = tooltipOf(o)([{ marker: '', seriesName: 'Anomalies', value: 3, dataIndex: 1 }]);
    expect(html).toContain('3 (7.5%)');
    expect(html).toMatch(/Analysed.*>40</);
  });
});
