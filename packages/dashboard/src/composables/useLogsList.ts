import { computed, ref, shallowRef, watch, type Ref, type ShallowRef } from 'vue';
import { listLogs, type LogEntry, type LogPage, type LogQuery } from '../api/logs';
import { isLive } from '../lib/timerange';
import { usePrefs } from '../stores/prefs';
import { usePolling } from './usePolling';
import { filtersKey, filtersToApi, type LogsFilters } from './useLogsFilters';
import { EMPTY_LOADED, appendOlder, compareLogs, mergeNewest, type Loaded } from './useLogsMerge';

/** Pages a poll may follow to reach the loaded rows before it gives up and restarts the list. */
const FILL_PAGES = 4;

/** The newest page, followed down (a few pages at most) until it reaches `top`, the newest row held. */
async function fetchNewest(q: LogQuery, top: LogEntry | undefined, signal: AbortSignal): Promise<LogPage & { from?: string }> {
  let page = await listLogs(q, signal);
  const logs = [...page.logs];
  for (let i = 0; top && page.next_cursor && i < FILL_PAGES; i++) {
    const last = logs.at(-1);
    if (!last || compareLogs(last, top) >= 0) break;
    page = await listLogs({ ...q, cursor: page.next_cursor }, signal);
    logs.push(...page.logs);
  }
  return { logs, next_cursor: page.next_cursor, ...(q.from ? { from: q.from } : {}) };
}

/** "Load older": one page below the loaded rows, dropped when the list changed meanwhile. */
function useOlder(loaded: ShallowRef<Loaded>, query: (cursor: string) => LogQuery) {
  const loading = ref(false);
  const error = ref<Error | null>(null);
  let generation = 0;
  async function load(): Promise<void> {
    const cursor = loaded.value.nextCursor;
    if (!cursor || loading.value || loaded.value.capped) return;
    const gen = generation;
    loading.value = true;
    error.value = null;
    try {
      const page = await listLogs(query(cursor));
      if (gen === generation) loaded.value = appendOlder(loaded.value, page);
    } catch (err) {
      if (gen === generation) error.value = err instanceof Error ? err : new Error(String(err));
    } finally {
      if (gen === generation) loading.value = false;
    }
  }
  /** The list was replaced: a page in flight belongs to the old one. */
  function forget(): void {
    generation++;
    loading.value = false;
    error.value = null;
  }
  return { load, forget, loading, error };
}

/**
 * The logs of the current filters: the newest page polls and merges on top, older pages load on
 * demand below it. A filter change starts over.
 */
export function useLogsList(filters: Ref<LogsFilters>) {
  const prefs = usePrefs();
  const loaded = shallowRef<Loaded>(EMPTY_LOADED);
  const restarted = ref(false);
  const apiQuery = (extra: Partial<LogQuery> = {}): LogQuery => ({ ...filtersToApi(filters.value, Date.now()), ...extra });
  const older = useOlder(loaded, (cursor) => apiQuery({ cursor }));
  const polled = usePolling((signal) => fetchNewest(apiQuery(), loaded.value.rows[0], signal), {
    seconds: () => (isLive(filters.value.range) ? prefs.pollSeconds : 0),
  });

  watch(polled.data, (fresh) => {
    if (!fresh) return;
    // Only a range that moves with the clock leaves rows behind at its old end.
    const merged = mergeNewest(loaded.value, fresh, filters.value.range.kind === 'quick' ? { from: fresh.from } : {});
    if (merged.restarted) older.forget();
    restarted.value = merged.restarted;
    loaded.value = { rows: merged.rows, nextCursor: merged.nextCursor, capped: merged.capped };
  });

  watch(() => filtersKey(filters.value), () => {
    // Cleared here, not only through the poll's reset, so no merge can mix two filters' rows.
    loaded.value = EMPTY_LOADED;
    restarted.value = false;
    older.forget();
    void polled.reset();
  });

  return {
    rows: computed<LogEntry[]>(() => loaded.value.rows),
    hasOlder: computed(() => loaded.value.nextCursor !== null && !loaded.value.capped),
    capped: computed(() => loaded.value.capped),
    restarted,
    loading: polled.loading,
    busy: polled.busy,
    error: polled.error,
    updatedAt: polled.updatedAt,
    refresh: polled.refresh,
    loadOlder: older.load,
    olderLoading: older.loading,
    olderError: older.error,
  };
}
