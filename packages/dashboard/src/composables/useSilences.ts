import { computed, ref, watch } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import { useI18n } from 'vue-i18n';
import { expireSilence, listSilences, type Silence } from '../api/silences';
import { usePolling } from './usePolling';

export type SilenceTab = 'current' | 'expired';

/**
 * Silences of one tab, polled: "current" are active and pending ones, "expired" the ones that ended
 * (the API lists every silence with expired=true; the tab keeps only the ended ones).
 */
export function useSilences(tab: () => SilenceTab) {
  const { t } = useI18n();
  const expiring = ref<Record<string, boolean>>({});
  const polled = usePolling<Silence[]>(async (signal) => {
    const expired = tab() === 'expired';
    const all = await listSilences(expired, signal);
    return expired ? all.filter((s) => s.state === 'expired') : all.filter((s) => s.state !== 'expired');
  });
  watch(tab, () => void polled.reset());

  /** Ends a silence now, after a confirmation; the list reloads. */
  async function expire(s: Silence): Promise<void> {
    try {
      await ElMessageBox.confirm(t('silences.confirmExpire.text'), t('silences.confirmExpire.title'), {
        type: 'warning', confirmButtonText: t('silences.action.expire'), cancelButtonText: t('silences.action.cancel'),
      });
    } catch {
      return; // cancelled
    }
    expiring.value = { ...expiring.value, [s.id]: true };
    try {
      await expireSilence(s.id);
      ElMessage.success(t('silences.done.expired'));
      await polled.refreshNow();
    } catch (err) {
      ElMessage.error(t('silences.done.failed', { message: err instanceof Error ? err.message : String(err) }));
    } finally {
      expiring.value = { ...expiring.value, [s.id]: false };
    }
  }

  const silences = computed(() => polled.data.value ?? []);
  return { ...polled, silences, expire, expiring };
}
