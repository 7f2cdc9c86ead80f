import { onMounted, ref, shallowRef, watch } from 'vue';
import { usePrefs } from '../stores/prefs';
import { listAudit, type AuditEntry } from '../api/audit';

/** Entries per page of the audit log. */
export const AUDIT_PAGE = 50;

/**
 * The audit log, newest first, paged with the server's `next_before` cursor. It is not polled: new
 * entries arriving above would shift the rows someone is reading; the refresh button reloads.
 */
export function useAudit() {
  const action = ref('');
  const entries = shallowRef<AuditEntry[]>([]);
  const next = ref<string | null>(null);
  const loading = ref(true);
  const loadingMore = ref(false);
  const error = ref<Error | null>(null);
  const moreError = ref<Error | null>(null);
  let generation = 0;

  /** Loads one page; a failed first page is `error` (in place of the list), a failed later page is `moreError` (the rows stay). */
  async function fetchPage(before: string | undefined): Promise<void> {
    const gen = generation;
    try {
      const page = await listAudit({ limit: AUDIT_PAGE, ...(before ? { before } : {}), ...(action.value ? { action: action.value } : {}) });
      if (gen !== generation) return; // the filter changed meanwhile
      entries.value = before ? [...entries.value, ...page.entries] : page.entries;
      next.value = page.next_before;
      error.value = moreError.value = null;
    } catch (err) {
      if (gen !== generation) return;
      const e = err instanceof Error ? err : new Error(String(err));
      if (before) moreError.value = e;
      else error.value = e;
    }
  }

  async function reload(): Promise<void> {
    generation++;
    loading.value = true;
    await fetchPage(undefined);
    loading.value = false;
  }

  async function loadMore(): Promise<void> {
    if (!next.value || loadingMore.value) return;
    loadingMore.value = true;
    await fetchPage(next.value);
    loadingMore.value = false;
  }

  onMounted(() => void reload());
  watch(action, () => void reload());
  watch(() => usePrefs().refreshTick, () => void reload());
  return { action, entries, next, loading, loadingMore, error, moreError, reload, loadMore };
}
