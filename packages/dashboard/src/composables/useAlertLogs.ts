import { watch } from 'vue';
import type { Alert } from '../api/alerts';
import { ApiError } from '../api/http';
import { getLog, listLogs, type LogEntry, type LogPage } from '../api/logs';
import { groupLogsQuery, type GroupLogsQuery } from '../components/alerts/alertModel';
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

/**
 * The group's logs; a server from before the `template` filter may refuse it (400): then the
 * service and time range alone, rather than no evidence at all.
 */
async function groupLogs(q: GroupLogsQuery, signal: AbortSignal): Promise<LogPage> {
  try {
    return await listLogs(q, signal);
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 400 && q.template)) throw err;
    const { template: _dropped, ...rest } = q;
    return listLogs(rest, signal);
  }
}

type LogsSource = Pick<Alert, 'id' | 'labels' | 'first_seen' | 'last_seen' | 'sample_log_id'>;

/** The alert's sample log and its group's logs; waits for the alert, reloads when its range grows. */
export function useAlertLogs(alert: () => LogsSource | undefined) {
  const polled = usePolling<AlertLogs | null>(async (signal) => {
    const a = alert();
    if (!a) return null;
    const sampleP: Promise<LogEntry | null> = a.sample_log_id ? getLog(a.sample_log_id, signal) : Promise.resolve(null);
    const [sample, page] = await Promise.allSettled([sampleP, groupLogs(groupLogsQuery(a, GROUP_LOGS_LIMIT), signal)]);
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
