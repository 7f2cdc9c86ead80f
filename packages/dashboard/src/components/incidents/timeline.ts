// The incident timeline: one line per template over the per-minute counts the API gives (30 minutes
// before the incident opened to 30 after it resolved), with a mark where each signal started, the
// span the incident was open, and the resolve time. Series building is pure; the ECharts option is
// built from it, so both can be tested without a canvas.
import type { EChartsCoreOption } from 'echarts/core';
import { use } from 'echarts/core';
import { MarkAreaComponent, MarkLineComponent } from 'echarts/components';
import type { IncidentDetail, SignalKind } from '../../api/incidents';
import { AXIS_STYLE, escapeHtml } from '../charts/echarts';
import { SEVERITY_COLORS } from '../../lib/format';

use([MarkLineComponent, MarkAreaComponent]);

const MINUTE = 60_000;
/** Longest template text in a legend entry (the tooltip shows the whole text). */
const NAME_MAX = 48;

export interface TimelineLine {
  id: string;
  service: string;
  template: string;
  /** Legend name: "service · template" cut to NAME_MAX. */
  name: string;
  /** Counts per minute, aligned to `times`, zeros filled. */
  counts: number[];
  /** The template carries a signal of this incident (drawn bold, in its signal's colour). */
  signalled: boolean;
  color?: string;
}

export interface TimelineMark {
  at: number;
  kind: SignalKind;
  service: string;
}

export interface Timeline {
  /** Every minute (epoch ms) any series has, oldest first, with gaps filled. */
  times: number[];
  lines: TimelineLine[];
  /** One per distinct (minute, kind, service) a signal started. */
  starts: TimelineMark[];
  openedAt: number;
  resolvedAt: number | null;
}

const cut = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const minuteOf = (iso: string): number => Math.floor(Date.parse(iso) / MINUTE) * MINUTE;

/** Minutes from the first to the last minute any series has, every minute present once. */
function minuteRange(d: Pick<IncidentDetail, 'templates'>): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const t of d.templates) {
    for (const p of t.series) {
      const m = minuteOf(p.minute);
      if (m < lo) lo = m;
      if (m > hi) hi = m;
    }
  }
  const out: number[] = [];
  // 3 days of minutes at most: a bad answer must not hang the tab.
  for (let m = lo; m <= hi && out.length < 4320; m += MINUTE) out.push(m);
  return out;
}

/** The lines, marks and span of an incident's chart. */
export function buildTimeline(d: Pick<IncidentDetail, 'templates' | 'signals' | 'opened_at' | 'resolved_at'>): Timeline {
  const times = minuteRange(d);
  const index = new Map(times.map((m, i) => [m, i]));
  const signalOf = new Map<string, string>();
  for (const s of d.signals) if (s.template_id && !signalOf.has(s.template_id)) signalOf.set(s.template_id, s.severity);
  const lines = d.templates.map((t): TimelineLine => {
    const counts = times.map(() => 0);
    for (const p of t.series) {
      const i = index.get(minuteOf(p.minute));
      if (i !== undefined) counts[i] = (counts[i] ?? 0) + p.count;
    }
    const sev = signalOf.get(t.id);
    return { id: t.id, service: t.service, template: t.template, name: cut(`${t.service} · ${t.template}`, NAME_MAX), counts, signalled: sev !== undefined, ...(sev ? { color: SEVERITY_COLORS[sev] } : {}) };
  });
  // Signalled templates first: they are the story; the rest is context.
  lines.sort((a, b) => Number(b.signalled) - Number(a.signalled));
  const seen = new Set<string>();
  const starts: TimelineMark[] = [];
  for (const s of [...d.signals].sort((a, b) => Date.parse(a.started_at) - Date.parse(b.started_at))) {
    const at = minuteOf(s.started_at);
    const key = `${at}|${s.kind}|${s.service}`;
    if (seen.has(key)) continue;
    seen.add(key);
    starts.push({ at, kind: s.kind, service: s.service });
  }
  return { times, lines, starts, openedAt: Date.parse(d.opened_at), resolvedAt: d.resolved_at ? Date.parse(d.resolved_at) : null };
}

const pad = (n: number): string => String(n).padStart(2, '0');
/** 14:05 in the browser's zone. */
export const hhmm = (t: number): string => {
  const d = new Date(t);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

export interface TimelineNames {
  kind: (k: SignalKind) => string;
  open: string;
  resolved: string;
}

interface TipRow { marker: string; seriesIndex: number; value: [number, number] }

/** The chart: a time axis, one line per template, signal starts and the resolve time as marks. */
export function timelineOption(tl: Timeline, names: TimelineNames): EChartsCoreOption {
  const end = tl.resolvedAt ?? tl.times[tl.times.length - 1] ?? tl.openedAt;
  // Labels stand level above the plot, reaching away from the nearer edge (an incident still open
  // sits at the right edge, where a centred label would be cut).
  const mid = ((tl.times[0] ?? 0) + (tl.times[tl.times.length - 1] ?? 0)) / 2;
  const align = (at: number): 'left' | 'right' => (at > mid ? 'right' : 'left');
  // Signals starting in the same minute share one line (their labels would be drawn over each other).
  const byMinute = new Map<number, TimelineMark[]>();
  for (const m of tl.starts) byMinute.set(m.at, [...(byMinute.get(m.at) ?? []), m]);
  const marks = [
    ...[...byMinute].map(([at, ms]) => ({
      xAxis: at,
      name: ms.map((m) => `${names.kind(m.kind)} · ${m.service}`).join(', '),
      lineStyle: { color: '#e5484d', type: 'dashed' as const, width: 1 },
      label: { formatter: [...new Set(ms.map((m) => names.kind(m.kind)))].join(' · '), align: align(at) },
    })),
    ...(tl.resolvedAt ? [{ xAxis: tl.resolvedAt, name: names.resolved, lineStyle: { color: '#2f9e44', type: 'solid' as const, width: 2 }, label: { formatter: names.resolved, color: '#2f9e44', align: align(tl.resolvedAt) } }] : []),
  ];
  const tip = (raw: unknown): string => {
    const rows = (Array.isArray(raw) ? raw : [raw]) as TipRow[];
    const t = rows[0]?.value[0] ?? 0;
    const lines = rows
      .filter((r) => r.value[1] > 0)
      .sort((a, b) => b.value[1] - a.value[1])
      .slice(0, 8)
      .map((r) => `${r.marker}${escapeHtml(cut(tl.lines[r.seriesIndex]?.name ?? '', 80))} <b style="float:right;margin-left:16px">${r.value[1]}</b>`);
    return `<div style="min-width:160px;max-width:480px;white-space:normal"><div style="margin-bottom:4px;color:#5e6673">${hhmm(t)}</div>${lines.join('<br/>') || '—'}</div>`;
  };
  return {
    animation: false,
    grid: { left: 8, right: 16, top: 30, bottom: 56, containLabel: true },
    legend: { type: 'scroll', bottom: 0, icon: 'roundRect', itemWidth: 10, itemHeight: 10, textStyle: { color: '#5e6673', fontSize: 12 } },
    tooltip: { trigger: 'axis', confine: true, formatter: tip },
    xAxis: { type: 'time', min: tl.times[0], max: tl.times[tl.times.length - 1], ...AXIS_STYLE, axisLabel: { ...AXIS_STYLE.axisLabel, formatter: (v: number) => hhmm(v), hideOverlap: true }, splitLine: { show: false } },
    yAxis: { type: 'value', minInterval: 1, ...AXIS_STYLE, axisLine: { show: false } },
    series: tl.lines.map((l, i) => ({
      type: 'line',
      name: l.name,
      showSymbol: false,
      data: l.counts.map((c, j) => [tl.times[j], c]),
      lineStyle: { width: l.signalled ? 2.5 : 1.2, ...(l.color ? { color: l.color } : {}) },
      ...(l.color ? { itemStyle: { color: l.color } } : {}),
      z: l.signalled ? 3 : 2,
      ...(i === 0 ? {
        markLine: { symbol: ['none', 'none'], silent: true, label: { position: 'end', distance: 6, fontSize: 11, color: '#b4232a' }, data: marks },
        // The open span is shaded without a label: a short span would cut it at the chart's edge.
        markArea: { silent: true, itemStyle: { color: 'rgba(229,72,77,0.07)' }, label: { show: false }, data: [[{ xAxis: tl.openedAt, name: names.open }, { xAxis: end }]] },
      } : {}),
    })),
  };
}
