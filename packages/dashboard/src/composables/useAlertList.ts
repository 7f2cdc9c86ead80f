import { computed, ref, watch } from 'vue';
import { listAlerts, type Alert, type AlertQuery } from '../api/alerts';
import { usePolling, type Polled } from './usePolling';

export type StateFilter = 'firing' | 'resolved' | 'all';

export interface AlertFilters {
  state: StateFilter;
  severity: string;
  service: string;
  /** A rule id (the rules list links to /alerts?rule=<id>); absent: every rule. */
  rule?: string;
}

/** Alerts shown per "load more". */
export const PAGE_SIZE = 50;
/** The API's largest page. */
const MAX_LIMIT = 500;

/** Where the next page starts: which query of the sequence, and the last id seen in it. */
export interface Cursor {
  segment: number;
  before?: string;
}

export interface AlertPage {
  alerts: Alert[];
  next: Cursor | null;
}

/**
 * The queries the list walks through, in order. "All" is firing first, then resolved, each newest
 * first: sorting one mixed page in the browser would reshuffle rows each time a page is added.
 */
export function alertQueries(f: AlertFilters): AlertQuery[] {
  const common: AlertQuery = {};
  if (f.severity) common.severity = f.severity;
  if (f.service) common.service = f.service;
  if (f.rule) common.rule = f.rule;
  const states: ('firing' | 'resolved')[] = f.state === 'all' ? ['firing', 'resolved'] : [f.state];
  return states.map((state) => ({ ...common, state }));
}

/** Fetches up to `want` alerts from `start`, paging with `before` and moving on to the next query when one runs out. */
export async function walkAlerts(queries: AlertQuery[], start: Cursor, want: number, signal?: AbortSignal): Promise<AlertPage> {
  const alerts: Alert[] = [];
  let cur: Cursor | null = start;
  while (cur && alerts.length < want) {
    const q = queries[cur.segment];
    if (!q) {
      cur = null;
      break;
    }
    const limit = Math.min(MAX_LIMIT, want - alerts.length);
    const page = await listAlerts({ ...q, ...(cur.before ? { before: cur.before } : {}), limit }, signal);
    alerts.push(...page);
    const last = page[page.length - 1];
    cur = page.length === limit && last ? { segment: cur.segment, before: last.id } : { segment: cur.segment + 1 };
  }
  if (cur && !queries[cur.segment]) cur = null;
  return { alerts, next: cur };
}

/**
 * The alerts list for the current filters: polls the pages already shown (so new and changed alerts
 * appear) and adds a page on `loadMore`. Both go through the one poller, so they never overlap.
 */
export function useAlertList(filters: () => AlertFilters) {
  let wantMore = false;
  const loadingMore = ref(false);
  const polled: Polled<AlertPage> = usePolling<AlertPage>(async (signal) => {
    const queries = alertQueries(filters());
    const current = polled.data.value;
    if (wantMore && current?.next) {
      wantMore = false;
      const more = await walkAlerts(queries, current.next, PAGE_SIZE, signal);
      const seen = new Set(current.alerts.map((a) => a.id));
      return { alerts: [...current.alerts, ...more.alerts.filter((a) => !seen.has(a.id))], next: more.next };
    }
    return walkAlerts(queries, { segment: 0 }, Math.max(PAGE_SIZE, current?.alerts.length ?? 0), signal);
  });

  /** Adds the next page (waits for a poll in flight first, then asks again for the page). */
  async function loadMore(): Promise<void> {
    if (!polled.data.value?.next) return;
    loadingMore.value = true;
    wantMore = true;
    try {
      await polled.refresh();
      if (wantMore) await polled.refresh();
    } finally {
      wantMore = false;
      loadingMore.value = false;
    }
  }

  watch(() => JSON.stringify(filters()), () => {
    wantMore = false;
    void polled.reset();
  });

  const alerts = computed(() => polled.data.value?.alerts ?? []);
  const hasMore = computed(() => Boolean(polled.data.value?.next));
  return { ...polled, alerts, hasMore, loadMore, loadingMore };
}
