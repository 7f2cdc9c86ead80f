import { computed, type ComputedRef } from 'vue';
import { useRoute, useRouter, type LocationQuery, type LocationQueryRaw } from 'vue-router';
import type { LogQuery } from '../api/logs';
import { DEFAULT_RANGE, rangeFromQuery, rangeToQuery, resolveRange, type TimeRange } from '../lib/timerange';

// Every filter of the logs view lives in the URL query, so a link such as
// /logs?template=abc&level=error opens the same view, and the back button undoes a filter change.

export interface LogsFilters {
  range: TimeRange;
  services: string[];
  levels: string[];
  severities: string[];
  anomaly: boolean;
  templates: string[];
  q: string;
}

export const EMPTY_FILTERS: LogsFilters = {
  range: DEFAULT_RANGE, services: [], levels: [], severities: [], anomaly: false, templates: [], q: '',
};

/** First page size: what the view polls. Older pages are the same size. */
export const PAGE_SIZE = 200;

/** `a,b` or repeated keys (`?level=a&level=b`) both read as a list; blanks and repeats dropped. */
function list(v: LocationQuery[string] | undefined): string[] {
  const raw = (Array.isArray(v) ? v : [v]).flatMap((s) => (s ?? '').split(','));
  return [...new Set(raw.map((s) => s.trim()).filter(Boolean))];
}

function text(v: LocationQuery[string] | undefined): string {
  return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
}

/** The filters named by a URL query; unknown keys are ignored. */
export function filtersFromQuery(q: LocationQuery): LogsFilters {
  return {
    range: rangeFromQuery(q),
    services: list(q.service),
    levels: list(q.level),
    severities: list(q.severity),
    anomaly: ['1', 'true'].includes(text(q.anomaly)),
    templates: list(q.template),
    q: text(q.q),
  };
}

/** The URL query of the filters; empty filters add nothing, so the plain view stays at /logs. */
export function filtersToQuery(f: LogsFilters): LocationQueryRaw {
  const out: Record<string, string> = { ...rangeToQuery(f.range) };
  if (f.services.length) out.service = f.services.join(',');
  if (f.levels.length) out.level = f.levels.join(',');
  if (f.severities.length) out.severity = f.severities.join(',');
  if (f.anomaly) out.anomaly = '1';
  if (f.templates.length) out.template = f.templates.join(',');
  if (f.q.trim()) out.q = f.q.trim();
  return out;
}

/** The API query of the filters; a quick range is resolved against `now` (each poll passes its own). */
export function filtersToApi(f: LogsFilters, now = Date.now()): LogQuery {
  const { from, to } = resolveRange(f.range, now);
  const out: LogQuery = { from, to, limit: PAGE_SIZE };
  if (f.services.length) out.service = f.services;
  if (f.levels.length) out.level = f.levels;
  if (f.severities.length) out.severity = f.severities;
  if (f.anomaly) out.anomaly = true;
  if (f.templates.length) out.template = f.templates;
  if (f.q.trim()) out.q = f.q.trim();
  return out;
}

/** A string that changes exactly when the result set changes (the range by name, not by instant). */
export function filtersKey(f: LogsFilters): string {
  return JSON.stringify(filtersToQuery(f));
}

/** The current filters, read from and written to the route's query. */
export function useLogsFilters(): { filters: ComputedRef<LogsFilters>; update: (patch: Partial<LogsFilters>) => Promise<void> } {
  const route = useRoute();
  const router = useRouter();
  const filters = computed(() => filtersFromQuery(route.query));
  async function update(patch: Partial<LogsFilters>): Promise<void> {
    const next = { ...filters.value, ...patch };
    if (filtersKey(next) === filtersKey(filters.value)) return;
    // push, not replace: each filter change is a step the back button can undo.
    await router.push({ query: filtersToQuery(next) });
  }
  return { filters, update };
}
