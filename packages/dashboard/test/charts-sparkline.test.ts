import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import ChartSparkline from '../src/components/charts/ChartSparkline.vue';
import { sparkPath } from '../src/components/charts/sparkline';

describe('sparkPath', () => {
  it('puts the highest count at the top and zero on the baseline', () => {
    const p = sparkPath([0, 5, 10], 104, 24, 2);
    expect(p.line).toBe('2,22 52,12 102,2');
    expect(p.max).toBe(10);
    expect(p.total).toBe(15);
    expect(p.last).toEqual({ x: 102, y: 2 });
  });

  it('draws an idle series flat on the baseline instead of dividing by zero', () => {
    const p = sparkPath([0, 0, 0], 50, 20, 2);
    expect(p.line).toBe('2,18 25,18 48,18');
    expect(p.line).not.toContain('NaN');
  });

  it('closes the area along the baseline', () => {
    expect(sparkPath([1, 2], 20, 10, 0).area).toBe('M0,10 L0,5 L20,0 L20,10 Z');
  });

  it('centres a single point', () => {
    expect(sparkPath([3], 40, 10, 0).line).toBe('20,0');
  });
});

describe('ChartSparkline', () => {
  it('renders an SVG line whose points follow the counts, labelled for screen readers', () => {
    const w = mount(ChartSparkline, { props: { counts: [1, 3, 2], width: 60, height: 20, color: '#e5484d', label: '6 lines in the last 24 h' } });
    const svg = w.get('svg[data-test="sparkline"]');
    expect(svg.attributes('aria-label')).toBe('6 lines in the last 24 h');
    expect(svg.attributes('data-total')).toBe('6');
    expect(w.get('polyline').attributes('points')).toBe(sparkPath([1, 3, 2], 60, 20).line);
    expect(w.get('polyline').attributes('stroke')).toBe('#e5484d');
    expect(w.get('title').text()).toBe('6 lines in the last 24 h');
  });

  it('shows a dash when the server sent no sparkline', () => {
    const w = mount(ChartSparkline, { props: { counts: undefined } });
    expect(w.find('svg').exists()).toBe(false);
    expect(w.get('[data-test="sparkline-none"]').text()).toBe('—');
  });

  it('redraws when the counts change', async () => {
    const w = mount(ChartSparkline, { props: { counts: [1, 1], width: 10, height: 10 } });
    const before = w.get('polyline').attributes('points');
    await w.setProps({ counts: [0, 4] });
    expect(w.get('polyline').attributes('points')).not.toBe(before);
  });
});
