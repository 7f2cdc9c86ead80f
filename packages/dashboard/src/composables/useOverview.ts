import { watch, type Ref } from 'vue';
import { usePolling } from './usePolling';
import { logStats } from '../api/stats';
import { analysisStatus, analysisSummary, listTemplates } from '../api/analysis';
import { listLogs } from '../api/logs';
import { listAlerts } from '../api/alerts';
import { rangeWindow, type RangeKey } from '../components/overview/series';

/**
 * One poller per overview source, so each card has its own loading and error state and a failing
 * route blanks only its cards. The range-bound sources start over when the range changes.
 */
export function useOverview(range: Ref<RangeKey>) {
  const win = () => rangeWindow(range.value, Date.now());
  const stats = usePolling((signal) => logStats(win(), signal));
  const summary = usePolling((signal) => analysisSummary(win(), signal));
  const anomalies = usePolling(async (signal) => (await listLogs({ anomaly: true, limit: 10, from: win().from }, signal)).logs);
  const templates = usePolling(async (signal) => (await listTemplates({ order: 'count', limit: 10, sparkline: true }, signal)).templates);
  const alerts = usePolling((signal) => listAlerts({ state: 'firing', limit: 10 }, signal));
  const status = usePolling((signal) => analysisStatus(signal));
  watch(range, () => {
    void stats.reset();
    void summary.reset();
    void anomalies.reset();
  });
  return { stats, summary, anomalies, templates, alerts, status };
}

export type Overview = ReturnType<typeof useOverview>;
