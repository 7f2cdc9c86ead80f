import { computed, ref, watch } from 'vue';
import { ElMessage } from 'element-plus';
import { useI18n } from 'vue-i18n';
import { listDeliveries, retryDelivery, type Delivery, type DeliveryState } from '../api/channels';
import { usePolling, type Polled } from './usePolling';

export interface DeliveryFilters {
  channel: string;
  state: DeliveryState | '';
}

/** Rows per "load older". */
export const DELIVERY_PAGE = 50;
const MAX_LIMIT = 500;

interface Page {
  rows: Delivery[];
  more: boolean;
}

/**
 * The outbox for the filters, newest first: polls as many rows as are shown (states change while a
 * notification is retried) and adds older pages with `before`. Retry replaces the row with the answer.
 */
export function useChannelDeliveries(filters: () => DeliveryFilters) {
  const { t } = useI18n();
  let wantMore = false;
  const loadingMore = ref(false);
  const retrying = ref<Record<string, boolean>>({});
  const query = () => ({ ...(filters().channel ? { channel_id: filters().channel } : {}), ...(filters().state ? { state: filters().state as DeliveryState } : {}) });

  const polled: Polled<Page> = usePolling<Page>(async (signal) => {
    const cur = polled.data.value;
    if (wantMore && cur?.more) {
      wantMore = false;
      const last = cur.rows[cur.rows.length - 1];
      const page = await listDeliveries({ ...query(), limit: DELIVERY_PAGE, ...(last ? { before: last.id } : {}) }, signal);
      return { rows: [...cur.rows, ...page], more: page.length === DELIVERY_PAGE };
    }
    const limit = Math.min(MAX_LIMIT, Math.max(DELIVERY_PAGE, cur?.rows.length ?? 0));
    const rows = await listDeliveries({ ...query(), limit }, signal);
    return { rows, more: rows.length === limit };
  });

  async function loadMore(): Promise<void> {
    loadingMore.value = true;
    wantMore = true;
    try {
      await polled.refresh();
      if (wantMore) await polled.refresh();
    } finally {
      wantMore = false;
      loadingMore.value = false;
    }
  }

  async function retry(d: Delivery): Promise<void> {
    retrying.value = { ...retrying.value, [d.id]: true };
    try {
      const next = await retryDelivery(d.id);
      const cur = polled.data.value;
      if (cur) polled.data.value = { ...cur, rows: cur.rows.map((r) => (r.id === next.id ? next : r)) };
      ElMessage.success(t('channels.deliveries.retried', { id: d.id }));
    } catch (err) {
      ElMessage.error(t('channels.done.failed', { message: err instanceof Error ? err.message : String(err) }));
    } finally {
      retrying.value = { ...retrying.value, [d.id]: false };
    }
  }

  watch(() => JSON.stringify(filters()), () => {
    wantMore = false;
    void polled.reset();
  });
  const rows = computed(() => polled.data.value?.rows ?? []);
  const hasMore = computed(() => Boolean(polled.data.value?.more));
  return { ...polled, rows, hasMore, loadMore, loadingMore, retry, retrying };
}
