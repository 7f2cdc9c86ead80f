import { onBeforeUnmount, ref, shallowRef, watch, type Ref, type ShallowRef } from 'vue';
import { listServices, type Service } from '../api/logs';
import { getTemplate, type Template } from '../api/analysis';

// One-off lookups the logs filters need (no polling: services and template texts change rarely).

interface Lookup<T> {
  data: ShallowRef<T | undefined>;
  loading: Ref<boolean>;
  error: Ref<Error | null>;
  load: () => Promise<void>;
}

function useLookup<T>(fetcher: (signal: AbortSignal) => Promise<T>): Lookup<T> {
  const data = shallowRef<T>();
  const loading = ref(false);
  const error = ref<Error | null>(null);
  let controller: AbortController | undefined;
  async function load(): Promise<void> {
    controller?.abort();
    const mine = (controller = new AbortController());
    loading.value = true;
    try {
      data.value = await fetcher(mine.signal);
      error.value = null;
    } catch (err) {
      if (mine.signal.aborted) return;
      error.value = err instanceof Error ? err : new Error(String(err));
    } finally {
      if (controller === mine) loading.value = false;
    }
  }
  onBeforeUnmount(() => controller?.abort());
  return { data, loading, error, load };
}

/** Services for the service filter, loaded once. */
export function useLogsServices(): Lookup<Service[]> {
  const lookup = useLookup(listServices);
  void lookup.load();
  return lookup;
}

/**
 * A template's text for the filter chip (no sparkline: the chip shows none). An id the server does
 * not know (a template gone with retention, a hand-made link) answers 404: the chip then shows the id
 * alone, which still works as a filter.
 */
export function useLogsTemplate(id: () => string): Lookup<Template> {
  const lookup = useLookup((signal) => getTemplate(id(), {}, signal));
  watch(id, () => {
    lookup.data.value = undefined;
    void lookup.load();
  }, { immediate: true });
  return lookup;
}
