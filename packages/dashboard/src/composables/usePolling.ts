import { onBeforeUnmount, onMounted, ref, shallowRef, watch, type Ref, type ShallowRef } from 'vue';
import { usePrefs } from '../stores/prefs';

export interface Polled<T> {
  data: ShallowRef<T | undefined>;
  /** True only while the first load (or a load after `reset`) is running. */
  loading: Ref<boolean>;
  /** True while any load is running. */
  busy: Ref<boolean>;
  error: Ref<Error | null>;
  updatedAt: Ref<number | null>;
  /** Loads now (a no-op while a load is in flight: never two requests for the same data). */
  refresh: () => Promise<void>;
  /** Loads after the user changed something: a load in flight may predate the change, so one more after it. */
  refreshNow: () => Promise<void>;
  /** Forgets the data and loads again (after the query changed). */
  reset: () => Promise<void>;
}

const isAbort = (err: unknown): boolean => err instanceof DOMException && err.name === 'AbortError';

/** One loader: runs `fetcher` with at most one request in flight; a reset makes older answers stale. */
function createLoader<T>(fetcher: (signal: AbortSignal) => Promise<T>, after: () => void) {
  const state = { data: shallowRef<T>(), loading: ref(true), busy: ref(false), error: ref<Error | null>(null), updatedAt: ref<number | null>(null) };
  let inflight: Promise<void> | undefined;
  let controller: AbortController | undefined;
  let generation = 0;

  async function run(): Promise<void> {
    const gen = generation;
    controller = new AbortController();
    state.busy.value = true;
    try {
      const value = await fetcher(controller.signal);
      if (gen !== generation) return; // the query changed meanwhile: this answer is stale
      state.data.value = value;
      state.error.value = null;
      state.updatedAt.value = Date.now();
    } catch (err) {
      if (gen === generation && !isAbort(err)) state.error.value = err instanceof Error ? err : new Error(String(err));
    } finally {
      if (gen === generation) state.loading.value = state.busy.value = false;
    }
  }
  function refresh(): Promise<void> {
    if (inflight) return inflight;
    const p: Promise<void> = run().finally(() => {
      if (inflight === p) inflight = undefined;
      after();
    });
    inflight = p;
    return p;
  }
  async function refreshNow(): Promise<void> {
    if (state.busy.value) await refresh();
    await refresh();
  }
  function reset(): Promise<void> {
    generation++;
    controller?.abort();
    inflight = undefined;
    state.data.value = undefined;
    state.loading.value = true;
    return refresh();
  }
  return { ...state, refresh, refreshNow, reset, abort: () => controller?.abort() };
}

/**
 * Loads `fetcher` now and then every `pollSeconds` (the user's choice; 0 = off), paused while the
 * tab is hidden and caught up when it shows again. Loads never overlap; the refresh button reloads.
 */
export function usePolling<T>(fetcher: (signal: AbortSignal) => Promise<T>, opts: { seconds?: () => number } = {}): Polled<T> {
  const prefs = usePrefs();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let alive = true;
  const interval = (): number => (opts.seconds ? opts.seconds() : prefs.pollSeconds);
  const loader = createLoader(fetcher, schedule);

  function schedule(): void {
    clearTimeout(timer);
    const s = interval();
    if (!alive || s <= 0 || document.hidden) return;
    timer = setTimeout(() => void loader.refresh(), s * 1000);
  }
  function onVisibility(): void {
    if (document.hidden) clearTimeout(timer);
    else if (interval() > 0) void loader.refresh();
  }
  onMounted(() => {
    document.addEventListener('visibilitychange', onVisibility);
    void loader.refresh();
  });
  onBeforeUnmount(() => {
    alive = false;
    clearTimeout(timer);
    loader.abort();
    document.removeEventListener('visibilitychange', onVisibility);
  });
  watch(() => prefs.pollSeconds, schedule);
  watch(() => prefs.refreshTick, () => void loader.refresh());
  const { data, loading, busy, error, updatedAt, refresh, refreshNow, reset } = loader;
  return { data, loading, busy, error, updatedAt, refresh, refreshNow, reset };
}
