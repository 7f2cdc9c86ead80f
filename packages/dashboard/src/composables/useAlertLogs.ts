import { watch } from 'vue';
import type { Alert } from '../api/alerts';
import { getLog, listLogs, type LogEntry } from '../api/logs';
import { groupLogsQuery } from '../components/alerts/alertModel';
import { usePolling } from './usePolling';

/** Rows shown in the alert's logs table. */
export const GROUP_LOGS_LIMIT = 20;

export interface AlertLogs {
  /** The alert's representative log; null when it has none. */
  sample: LogEntry | null;
  /** Why the sample could not be read (retention may have dropped it) while the rest still shows. */
  sampleError: string | null;
  /** Logs of the alert's group over its time range, newest first. */
  logs: LogEntry[];
  more: boolean;
}

type LogsSource = Pick<Alert, 'id' | 'labels' | 'first_seen' | 'last_seen' | 'sample_log_id'>;

/** The alert's sample log and its group's logs; waits for the alert, reloads when its range grows. */
export function useAlertLogs(alert: () => LogsSource | undefined) {
  const polled = usePolling<AlertLogs | null>(async (signal) => {
    const a = alert();
    if (!a) return null;
    const sampleP: Promise<LogEntry | null> = a.sample_log_id ? getLog(a.sample_log_id, signal) : Promise.resolve(null);
    const [sample, page] = await Promise.allSettled([sampleP, listLogs(groupLogsQuery(a, GROUP_LOGS_LIMIT), signal)]);
    if (page.status === 'rejected') throw page.reason;
    return {
      sample: sample.status === 'fulfilled' ? sample.value : null,
      sampleError: sample.status === 'rejected' ? String((sample.reason as Error)?.message ?? sample.reason) : null,
      logs: page.value.logs,
      more: page.value.next_cursor !== null,
    };
  });
  const key = (): string => {
    const a = alert();
    return a ? `${a.id}|${a.first_seen}|${a.last_seen}|${a.sample_log_id ?? ''}|${JSON.stringify(a.labels)}` : '';
  };
  watch(key, (now, before) => {
    // Same alert, wider range: refresh in place; another alert: start over.
    if (before && now.split('|')[0] === before.split('|')[0]) void polled.refresh();
    else void polled.reset();
  });
  return polled;
}
