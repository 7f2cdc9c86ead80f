import { computed, watch } from 'vue';
import { getLog, type LogEntry } from '../api/logs';
import { ApiError } from '../api/http';
import { usePrefs } from '../stores/prefs';
import { usePolling } from './usePolling';

/**
 * One log, polled while its analysis is pending (the one thing about a stored log that changes).
 * `notFound` when the server has no such log, or the id cannot be one (400 for a non-numeric id).
 */
export function useLogsDetail(id: () => string) {
  const prefs = usePrefs();
  let settled = false;
  const polled = usePolling<LogEntry>(async (signal) => {
    const log = await getLog(id(), signal);
    settled = log.analysis_status !== 'pending';
    return log;
  }, { seconds: () => (settled ? 0 : prefs.pollSeconds) });
  watch(id, () => {
    settled = false;
    void polled.reset();
  });
  const notFound = computed(() => {
    const err = polled.error.value;
    return err instanceof ApiError && (err.status === 404 || (err.status === 400 && err.code === 'invalid_query'));
  });
  return { ...polled, notFound };
}
