import { computed, type Ref } from 'vue';
import { listIncidents } from '../api/incidents';
import { usePolling } from './usePolling';

/**
 * The newest open incidents (up to `limit`) and how many are open: `known` (the status route's
 * count, when given) wins over the rows counted here, which stop at the limit ("9+").
 */
export function useOpenIncidents(limit: number, known?: Ref<number | undefined>) {
  const polled = usePolling((signal) => listIncidents({ state: 'open', limit }, signal));
  const rows = computed(() => polled.data.value?.incidents ?? []);
  const count = computed<number | undefined>(() => known?.value ?? (polled.data.value ? rows.value.length : undefined));
  /** True when there may be more open incidents than counted (no status count, and the page was full). */
  const atLeast = computed(() => known?.value === undefined && Boolean(polled.data.value?.next));
  return { ...polled, rows, count, atLeast };
}
