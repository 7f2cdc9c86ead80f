// The ECharts option of the LLM tab's 14-day chart: tokens per UTC day as stacked bars (prompt +
// completion) on the left axis, calls as a line on the right axis. Reasoning tokens are part of the
// completion tokens, so they are a dashed line, not a third bar that would count them twice.
import type { EChartsCoreOption } from 'echarts/core';
import { AXIS_STYLE, escapeHtml } from '../charts/echarts';
import type { UsageDay } from '../../api/usage';

export interface UsageNames {
  calls: string;
  prompt: string;
  completion: string;
  reasoning: string;
  reasoningHint: string;
  models: string;
}

export const USAGE_COLORS = { prompt: '#3b82f6', completion: '#93c5fd', reasoning: '#8b5cf6', calls: '#f5a524' } as const;

/** "12-01" from "2026-12-01": the year is obvious over 14 days and would crowd the axis. */
export const dayLabel = (day: string): string => day.slice(5);

/** True when no day of the range had a call. */
export const usageEmpty = (days: UsageDay[]): boolean => days.every((d) => d.calls === 0);

function tooltip(days: UsageDay[], names: UsageNames, fmt: (n: number) => string) {
  return (raw: unknown): string => {
    const i = ((Array.isArray(raw) ? raw[0] : raw) as { dataIndex?: number } | undefined)?.dataIndex ?? 0;
    const d = days[i];
    if (!d) return '';
    const row = (color: string, name: string, v: string) =>
      `<span style="display:inline-block;width:10px;height:10px;border-radius:2px;background:${color};margin-right:5px"></span>${escapeHtml(name)} <b style="float:right;margin-left:16px">${v}</b>`;
    const lines = [
      row(USAGE_COLORS.calls, names.calls, fmt(d.calls)),
      row(USAGE_COLORS.prompt, names.prompt, fmt(d.prompt_tokens)),
      row(USAGE_COLORS.completion, names.completion, fmt(d.completion_tokens)),
      row(USAGE_COLORS.reasoning, `${names.reasoning} (${names.reasoningHint})`, fmt(d.reasoning_tokens)),
    ];
    if (d.models.length) lines.push(`<span style="color:#8a919f">${escapeHtml(names.models)}: ${d.models.map(escapeHtml).join(', ')}</span>`);
    return `<div style="min-width:200px"><div style="margin-bottom:4px;color:#5e6673">${escapeHtml(d.day)} UTC</div>${lines.join('<br/>')}</div>`;
  };
}

/** The chart's option for `days` (oldest first), with translated series names. */
export function usageOption(days: UsageDay[], names: UsageNames, fmt: (n: number) => string): EChartsCoreOption {
  const valueAxis = { type: 'value', minInterval: 1, ...AXIS_STYLE, axisLine: { show: false } };
  return {
    animation: false,
    grid: { left: 8, right: 8, top: 36, bottom: 4, containLabel: true },
    legend: { top: 0, right: 0, icon: 'roundRect', itemWidth: 10, itemHeight: 10, textStyle: { color: '#5e6673', fontSize: 12 } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: tooltip(days, names, fmt) },
    xAxis: { type: 'category', data: days.map((d) => dayLabel(d.day)), ...AXIS_STYLE },
    yAxis: [
      { ...valueAxis, axisLabel: { ...AXIS_STYLE.axisLabel, formatter: (v: number) => fmt(v) } },
      { ...valueAxis, splitLine: { show: false } },
    ],
    series: [
      { type: 'bar', name: names.prompt, stack: 'tokens', barMaxWidth: 28, itemStyle: { color: USAGE_COLORS.prompt }, data: days.map((d) => d.prompt_tokens) },
      { type: 'bar', name: names.completion, stack: 'tokens', barMaxWidth: 28, itemStyle: { color: USAGE_COLORS.completion }, data: days.map((d) => d.completion_tokens) },
      { type: 'line', name: names.reasoning, symbol: 'none', lineStyle: { type: 'dashed', width: 1.5 }, itemStyle: { color: USAGE_COLORS.reasoning }, data: days.map((d) => d.reasoning_tokens) },
      { type: 'line', name: names.calls, yAxisIndex: 1, symbolSize: 5, itemStyle: { color: USAGE_COLORS.calls }, data: days.map((d) => d.calls) },
    ],
  };
}
