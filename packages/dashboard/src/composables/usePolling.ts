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
  /** Forgets the data and loads again (after the query changed). */
  reset: () => Promise<void>;
}

/**
 * Loads `fetcher` now and then every `pollSeconds` (the user's choice; 0 = off), paused while the
 * tab is hidden and caught up when it shows again. Loads never overlap; the refresh button reloads.
 */
export function usePolling<T>(fetcher: (signal: AbortSignal) => Promise<T>, opts: { seconds?: () => number } = {}): Polled<T> {
  const prefs = usePrefs();
  const data = shallowRef<T>();
  const loading = ref(true);
  const busy = ref(false);
  const error = ref<Error | null>(null);
  const updatedAt = ref<number | null>(null);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inflight: Promise<void> | undefined;
  let controller: AbortController | undefined;
  let alive = true;
  let generation = 0;

  const interval = (): number => (opts.seconds ? opts.seconds() : prefs.pollSeconds);
  function schedule(): void {
    clearTimeout(timer);
    const s = interval();
    if (!alive || s <= 0 || document.hidden) return;
    timer = setTimeout(() => void refresh(), s * 1000);
  }
  async function run(): Promise<void> {
    const gen = generation;
    controller = new AbortController();
    busy.value = true;
    try {
      const value = await fetcher(controller.signal);
      if (gen !== generation) return; // the query changed meanwhile: this answer is stale
      data.value = value;
      error.value = null;
      updatedAt.value = Date.now();
    } catch (err) {
      if (gen !== generation || (err instanceof DOMException && err.name === 'AbortError')) return;
      error.value = err instanceof Error ? err : new Error(String(err));
    } finally {
      if (gen === generation) {
        loading.value = false;
        busy.value = false;
      }
    }
  }
  function refresh(): Promise<void> {
    if (inflight) return inflight;
    const p: Promise<void> = run().finally(() => {
      if (inflight === p) inflight = undefined;
      schedule();
    });
    inflight = p;
    return p;
  }
  function reset(): Promise<void> {
    generation++;
    controller?.abort();
    inflight = undefined;
    data.value = undefined;
    loading.value = true;
    return refresh();
  }
  function onVisibility(): void {
    if (document.hidden) clearTimeout(timer);
    else if (interval() > 0) void refresh();
  }
  onMounted(() => {
    document.addEventListener('visibilitychange', onVisibility);
    void refresh();
  });
  onBeforeUnmount(() => {
    alive = false;
    clearTimeout(timer);
    controller?.abort();
    document.removeEventListener('visibilitychange', onVisibility);
  });
  watch(() => prefs.pollSeconds, schedule);
  watch(() => prefs.refreshTick, () => void refresh());
  return { data, loading, busy, error, updatedAt, refresh, reset };
}
