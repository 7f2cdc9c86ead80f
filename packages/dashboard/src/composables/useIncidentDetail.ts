import { computed, watch } from 'vue';
import { getIncident, type IncidentDetail } from '../api/incidents';
import { ApiError } from '../api/http';
import { usePolling } from './usePolling';

/** One incident with its story, signals and series, polled; `notFound` when the server has no such incident. */
export function useIncidentDetail(id: () => string) {
  const polled = usePolling<IncidentDetail>((signal) => getIncident(id(), signal));
  // Another incident in the same component (a link from one to another): forget the old one.
  watch(id, () => void polled.reset());
  const notFound = computed(() => polled.error.value instanceof ApiError && polled.error.value.status === 404);
  return { ...polled, notFound };
}
