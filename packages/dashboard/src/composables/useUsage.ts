import { usePolling } from './usePolling';
import { analysisStatus } from '../api/analysis';
import { getUsage } from '../api/usage';

/** Days of LLM usage the settings chart shows (today included). */
export const USAGE_DAYS = 14;

/** The LLM tab's two sources, polled apart so a failing usage read leaves the status standing. */
export function useUsage() {
  const status = usePolling((signal) => analysisStatus(signal));
  const usage = usePolling((signal) => getUsage(USAGE_DAYS, signal));
  return { status, usage };
}
