// The one place ECharts parts are registered: only what the dashboard draws is bundled
// (echarts/core with use([...]) keeps the charts chunk at a fraction of the full build).
import { use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';

use([CanvasRenderer, BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent]);

/** Axis and text styles shared by every chart, so the cards read as one page. */
export const AXIS_STYLE = {
  axisLine: { lineStyle: { color: '#dcdfe6' } },
  axisTick: { show: false },
  axisLabel: { color: '#8a919f', fontSize: 11 },
  splitLine: { lineStyle: { color: '#f0f2f5' } },
} as const;

/** Escapes text put into a tooltip: ECharts renders custom formatter output as HTML. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
