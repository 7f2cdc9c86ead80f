// ECharts options for the overview's charts, built from the shaped series in series.ts.
import type { EChartsCoreOption } from 'echarts/core';
import { LEVEL_COLORS, SEVERITY_COLORS } from '../../lib/format';
import { AXIS_STYLE, escapeHtml } from '../charts/echarts';
import type { LevelSeries, Share, TrendSeries } from './series';

const pad = (n: number): string => String(n).padStart(2, '0');

/** A bucket's axis label in the browser's zone: 14:05, or 12-01 14:00 when the range spans days. */
export function bucketLabel(t: number, withDate: boolean): string {
  const d = new Date(t);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return withDate ? `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${hm}` : hm;
}

/** "14:00–14:15" for a tooltip title. */
function bucketSpan(t: number, bucketSeconds: number, withDate: boolean): string {
  return `${bucketLabel(t, withDate)}–${bucketLabel(t + bucketSeconds * 1000, false)}`;
}

const spansDays = (times: number[]): boolean => times.length > 1 && (times[times.length - 1] as number) - (times[0] as number) > 86_400_000;

interface TipRow { marker: string; seriesName: string; value: number; dataIndex: number }

/** Tooltip listing each series' value in the bucket, with a total; every name is escaped. */
function axisTip(times: number[], bucketSeconds: number, totalLabel?: string) {
  const withDate = spansDays(times);
  return (raw: unknown): string => {
    const rows = (Array.isArray(raw) ? raw : [raw]) as TipRow[];
    const t = times[rows[0]?.dataIndex ?? 0] ?? 0;
    const lines = rows.filter((r) => r.value > 0 || rows.length <= 2).map((r) => `${r.marker}${escapeHtml(r.seriesName)} <b style="float:right;margin-left:16px">${r.value}</b>`);
    const sum = rows.reduce((a, r) => a + (Number(r.value) || 0), 0);
    if (totalLabel) lines.push(`<span style="color:#8a919f">${escapeHtml(totalLabel)}</span> <b style="float:right;margin-left:16px">${sum}</b>`);
    return `<div style="min-width:140px"><div style="margin-bottom:4px;color:#5e6673">${bucketSpan(t, bucketSeconds, withDate)}</div>${lines.join('<br/>')}</div>`;
  };
}

function timeAxis(times: number[]) {
  const withDate = spansDays(times);
  return { type: 'category', data: times.map((t) => bucketLabel(t, withDate)), ...AXIS_STYLE, axisLabel: { ...AXIS_STYLE.axisLabel, hideOverlap: true } };
}

const valueAxis = { type: 'value', minInterval: 1, ...AXIS_STYLE, axisLine: { show: false } };

/** Stacked bars of logs per bucket and level, most severe at the bottom. */
export function levelOption(s: LevelSeries, levelName: (l: string) => string, totalLabel: string): EChartsCoreOption {
  return {
    animation: false,
    grid: { left: 8, right: 8, top: 28, bottom: 4 },
    legend: { top: 0, right: 0, icon: 'roundRect', itemWidth: 10, itemHeight: 10, textStyle: { color: '#5e6673', fontSize: 12 } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: axisTip(s.times, s.bucketSeconds, totalLabel) },
    xAxis: timeAxis(s.times),
    yAxis: valueAxis,
    series: s.series.map((x) => ({
      type: 'bar',
      name: levelName(x.level),
      stack: 'logs',
      barCategoryGap: '20%',
      itemStyle: { color: LEVEL_COLORS[x.level] ?? LEVEL_COLORS.unknown },
      emphasis: { focus: 'series' },
      data: x.counts,
    })),
  };
}

/**
 * Anomalies per bucket as a red area. The analysed count is only in the tooltip: drawn on the same
 * axis it is hundreds of times larger and flattens the anomalies into the baseline.
 */
export function trendOption(s: TrendSeries, names: { analysed: string; anomalies: string }): EChartsCoreOption {
  const withDate = spansDays(s.times);
  const tip = (raw: unknown): string => {
    const i = ((Array.isArray(raw) ? raw[0] : raw) as TipRow | undefined)?.dataIndex ?? 0;
    const a = s.anomalies[i] ?? 0;
    const n = s.total[i] ?? 0;
    const rate = n > 0 ? ` (${Math.round((a / n) * 1000) / 10}%)` : '';
    return `<div style="min-width:140px"><div style="margin-bottom:4px;color:#5e6673">${bucketSpan(s.times[i] ?? 0, s.bucketSeconds, withDate)}</div>`
      + `<span style="display:inline-block;width:10px;height:10px;border-radius:50%;background:#e5484d;margin-right:5px"></span>${escapeHtml(names.anomalies)} <b style="float:right;margin-left:16px">${a}${rate}</b><br/>`
      + `<span style="color:#8a919f">${escapeHtml(names.analysed)}</span> <b style="float:right;margin-left:16px">${n}</b></div>`;
  };
  return {
    animation: false,
    grid: { left: 8, right: 8, top: 16, bottom: 4 },
    tooltip: { trigger: 'axis', formatter: tip },
    xAxis: { ...timeAxis(s.times), boundaryGap: false },
    yAxis: valueAxis,
    series: [{
      type: 'line', name: names.anomalies, data: s.anomalies, showSymbol: false, smooth: 0.2,
      lineStyle: { color: '#e5484d', width: 2 }, itemStyle: { color: '#e5484d' }, areaStyle: { color: 'rgba(229,72,77,0.15)' },
    }],
  };
}

/** A donut of severities (the card writes the total in its hole). */
export function severityOption(items: Share[], name: (k: string) => string): EChartsCoreOption {
  return {
    animation: false,
    tooltip: { trigger: 'item', formatter: (p: { name: string; value: number; percent: number }) => `${escapeHtml(p.name)}: <b>${p.value}</b> (${p.percent}%)` },
    series: [{
      type: 'pie',
      radius: ['58%', '82%'],
      center: ['50%', '50%'],
      avoidLabelOverlap: true,
      label: { show: false },
      labelLine: { show: false },
      emphasis: { scale: false },
      itemStyle: { borderColor: '#fff', borderWidth: 2 },
      data: items.map((i) => ({ name: name(i.key), value: i.count, itemStyle: { color: SEVERITY_COLORS[i.key] ?? '#a3a3a3' } })),
    }],
  };
}
