import { computed, ref, watch } from 'vue';
import { listIncidents, type IncidentPage, type IncidentQuery } from '../api/incidents';
import type { IncidentFilters } from './useIncidentFilters';
import { usePolling, type Polled } from './usePolling';

/** Incidents shown per "load more". */
export const INCIDENT_PAGE_SIZE = 50;
/** The API's largest page. */
const MAX_LIMIT = 200;

/** The API query for these filters (state "all" is the API's default but is said, so the request reads plainly). */
export function incidentQuery(f: IncidentFilters): IncidentQuery {
  return { state: f.state, ...(f.service ? { service: f.service } : {}) };
}

/** Fetches up to `want` incidents from cursor `before` (none: the newest), following `next` across pages. */
export async function walkIncidents(q: IncidentQuery, before: string | null, want: number, signal?: AbortSignal): Promise<IncidentPage> {
  const out: IncidentPage = { incidents: [], next: before };
  let first = true;
  while (out.incidents.length < want && (first || out.next)) {
    const limit = Math.min(MAX_LIMIT, want - out.incidents.length);
    const page = await listIncidents({ ...q, limit, ...(out.next ? { before: out.next } : {}) }, signal);
    out.incidents.push(...page.incidents);
    out.next = page.next;
    first = false;
  }
  return out;
}

/**
 * The incidents list for the current filters: polls the rows already shown (so new incidents and
 * changed states appear) and adds a page on `loadMore`; both go through the one poller, never overlapping.
 */
export function useIncidentList(filters: () => IncidentFilters) {
  let wantMore = false;
  const loadingMore = ref(false);
  const polled: Polled<IncidentPage> = usePolling<IncidentPage>(async (signal) => {
    const q = incidentQuery(filters());
    const current = polled.data.value;
    if (wantMore && current?.next) {
      wantMore = false;
      const more = await walkIncidents(q, current.next, INCIDENT_PAGE_SIZE, signal);
      const seen = new Set(current.incidents.map((i) => i.id));
      return { incidents: [...current.incidents, ...more.incidents.filter((i) => !seen.has(i.id))], next: more.next };
    }
    return walkIncidents(q, null, Math.max(INCIDENT_PAGE_SIZE, current?.incidents.length ?? 0), signal);
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

  const incidents = computed(() => polled.data.value?.incidents ?? []);
  const hasMore = computed(() => Boolean(polled.data.value?.next));
  return { ...polled, incidents, hasMore, loadMore, loadingMore };
}
