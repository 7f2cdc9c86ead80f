import { onBeforeUnmount, ref } from 'vue';
import { ElMessage } from 'element-plus';
import { useI18n } from 'vue-i18n';
import { ackAlert, silenceAlert, type Silence } from '../api/alerts';
import { formatTime } from '../lib/format';

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** The alert engine applies a new silence at its next tick (1 s by default): look again after this. */
export const SILENCE_SETTLE_MS = 3000;

/**
 * Acknowledge and silence with the server's answer shown as a message; `done` runs after a success
 * so the view refreshes at once instead of at the next poll.
 */
export function useAlertActions(done: () => void) {
  const { t } = useI18n();
  const acking = ref(false);
  const silencing = ref(false);
  let settle: ReturnType<typeof setTimeout> | undefined;
  onBeforeUnmount(() => clearTimeout(settle));

  async function ack(id: string): Promise<boolean> {
    acking.value = true;
    try {
      await ackAlert(id);
      ElMessage.success(t('alerts.action.ackDone', { id }));
      done();
      return true;
    } catch (err) {
      ElMessage.error(t('alerts.action.ackFailed', { message: message(err) }));
      return false;
    } finally {
      acking.value = false;
    }
  }

  async function silence(id: string, body: { duration_minutes: number; comment?: string }): Promise<Silence | null> {
    silencing.value = true;
    try {
      const s = await silenceAlert(id, body);
      ElMessage.success(t('alerts.action.silenceDone', { until: formatTime(s.ends_at) }));
      done();
      // Without this second look the alert reads "not silenced" until the next poll, 30 s later.
      clearTimeout(settle);
      settle = setTimeout(done, SILENCE_SETTLE_MS);
      return s;
    } catch (err) {
      ElMessage.error(t('alerts.action.silenceFailed', { message: message(err) }));
      return null;
    } finally {
      silencing.value = false;
    }
  }

  return { acking, silencing, ack, silence };
}
