import { ref } from 'vue';
import { usePolling } from './usePolling';
import { createKey, listKeys, revokeKey, type CreatedKey, type Scope } from '../api/keys';

/**
 * API keys: the list (polled, so "last used" moves), creation and revocation. `create` rethrows so
 * the form can put the server's reasons under its fields; `revoke` reports through `actionError`.
 */
export function useKeys() {
  const list = usePolling((signal) => listKeys(signal));
  const creating = ref(false);
  const revoking = ref<string | null>(null);
  const actionError = ref<Error | null>(null);

  async function create(body: { name: string; scopes: Scope[] }): Promise<CreatedKey> {
    creating.value = true;
    try {
      const key = await createKey(body);
      void list.refreshNow();
      return key;
    } finally {
      creating.value = false;
    }
  }

  async function revoke(id: string): Promise<boolean> {
    revoking.value = id;
    actionError.value = null;
    try {
      await revokeKey(id);
      await list.refreshNow();
      return true;
    } catch (err) {
      actionError.value = err instanceof Error ? err : new Error(String(err));
      return false;
    } finally {
      revoking.value = null;
    }
  }

  return { list, creating, revoking, actionError, create, revoke };
}
