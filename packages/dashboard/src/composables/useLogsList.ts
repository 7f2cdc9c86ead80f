import { computed, ref, shallowRef, watch, type Ref, type ShallowRef } from 'vue';
import { listLogs, type LogEntry, type LogPage, type LogQuery } from '../api/logs';
import { ApiError } from '../api/http';
import { isLive } from '../lib/timerange';
import { usePrefs } from '../stores/prefs';
import { usePolling } from './usePolling';
import { filtersKey, filtersToApi, type LogsFilters } from './useLogsFilters';
import { EMPTY_LOADED, appendOlder, compareLogs, ignoredTemplateFilter, keepTemplates, mergeNewest, type Loaded } from './useLogsMerge';

/** Pages a poll may follow to reach the loaded rows before it gives up and restarts the list. */
const FILL_PAGES = 4;
/** Filtering by template in the browser: older pages load by themselves until this many rows match… */
const FALLBACK_ROWS = 50;
/** …or this many pages were read for it, so a rare template cannot make the tab read the whole range. */
const FALLBACK_PAGES = 10;

/** The request, retried without `template` once when a server that predates the filter rejects it. */
async function fetchPage(q: LogQuery, signal: AbortSignal | undefined, onTemplateRejected: () => void): Promise<LogPage> {
  try {
    return await listLogs(q, signal);
  } catch (err) {
    if (!q.template || !(err instanceof ApiError) || err.status !== 400) throw err;
    const page = await listLogs({ ...q, template: undefined }, signal).catch(() => Promise.reject(err));
    onTemplateRejected();
    return page;
  }
}

/** The newest page, followed down (a few pages at most) until it reaches `top`, the newest row held. */
async function fetchNewest(q: LogQuery, top: LogEntry | undefined, signal: AbortSignal, onTemplateRejected: () => void): Promise<LogPage & { from?: string }> {
  let page = await fetchPage(q, signal, onTemplateRejected);
  const logs = [...page.logs];
  for (let i = 0; top && page.next_cursor && i < FILL_PAGES; i++) {
    const last = logs.at(-1);
    if (!last || compareLogs(last, top) >= 0) break;
    page = await fetchPage({ ...q, cursor: page.next_cursor }, signal, onTemplateRejected);
    logs.push(...page.logs);
  }
  return { logs, next_cursor: page.next_cursor, ...(q.from ? { from: q.from } : {}) };
}

/** "Load older": one page below the loaded rows, dropped when the list changed meanwhile. */
function useOlder(loaded: ShallowRef<Loaded>, query: (cursor: string) => LogQuery, onTemplateRejected: () => void) {
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
      const page = await fetchPage(query(cursor), undefined, onTemplateRejected);
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

/** While `wanted()` holds, loads older pages one after another, at most FALLBACK_PAGES per filter set. */
function useFallbackFill(wanted: () => boolean, older: { load: () => Promise<void>; loading: Ref<boolean> }, key: () => string): void {
  let pages = 0;
  watch(key, () => void (pages = 0));
  watch([wanted, older.loading], ([want, busy]) => {
    if (!want || busy || pages >= FALLBACK_PAGES) return;
    pages++;
    void older.load();
  });
}

/**
 * The logs of the current filters: the newest page polls and merges on top, older pages load on
 * demand below it. A filter change starts over.
 */
export function useLogsList(filters: Ref<LogsFilters>) {
  const prefs = usePrefs();
  const loaded = shallowRef<Loaded>(EMPTY_LOADED);
  const restarted = ref(false);
  /** The server does not filter by template (yet): the rows are filtered here, page by page. */
  const templateFallback = ref(false);
  const fallBack = (): void => void (templateFallback.value = true);
  const apiQuery = (extra: Partial<LogQuery> = {}): LogQuery => ({
    ...filtersToApi(filters.value, Date.now(), { withTemplate: !templateFallback.value }),
    ...extra,
  });
  const older = useOlder(loaded, (cursor) => apiQuery({ cursor }), fallBack);
  const polled = usePolling((signal) => fetchNewest(apiQuery(), loaded.value.rows[0], signal, fallBack), {
    seconds: () => (isLive(filters.value.range) ? prefs.pollSeconds : 0),
  });

  watch(polled.data, (fresh) => {
    if (!fresh) return;
    if (ignoredTemplateFilter(fresh.logs, filters.value.templates)) templateFallback.value = true;
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
    templateFallback.value = false;
    older.forget();
    void polled.reset();
  });

  const rows = computed<LogEntry[]>(() => (templateFallback.value ? keepTemplates(loaded.value.rows, filters.value.templates) : loaded.value.rows));
  const hasOlder = computed(() => loaded.value.nextCursor !== null && !loaded.value.capped);
  useFallbackFill(() => templateFallback.value && hasOlder.value && rows.value.length < FALLBACK_ROWS && !older.error.value, older, () => filtersKey(filters.value));

  return {
    rows,
    hasOlder,
    /** Rows read from the server, before the template fallback picks its matches out of them. */
    scanned: computed(() => loaded.value.rows.length),
    capped: computed(() => loaded.value.capped),
    restarted,
    templateFallback,
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
