import { computed, watch } from 'vue';
import { getAlert, type AlertDetail } from '../api/alerts';
import { ApiError } from '../api/http';
import { usePolling } from './usePolling';

/** One alert with its history, polled; `notFound` when the server has no alert with this id. */
export function useAlertDetail(id: () => string) {
  const polled = usePolling<AlertDetail>((signal) => getAlert(id(), signal));
  // Another alert in the same component (a link from one alert to another): forget the old one.
  watch(id, () => void polled.reset());
  const notFound = computed(() => polled.error.value instanceof ApiError && polled.error.value.status === 404);
  return { ...polled, notFound };
}
