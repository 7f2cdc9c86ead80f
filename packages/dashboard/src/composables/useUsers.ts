import { ref } from 'vue';
import { usePolling } from './usePolling';
import { createUser, deleteUser, listUsers, updateUser, type Role, type User, type UserChanges } from '../api/users';

/**
 * Users: the list and every change to it. Changes rethrow the server's error (the last-admin 409
 * among them) for the caller to show; `busy` names the user being changed so only that row waits.
 */
export function useUsers() {
  const list = usePolling((signal) => listUsers(signal));
  const busy = ref<string | null>(null);

  async function run<T>(id: string, fn: () => Promise<T>): Promise<T> {
    busy.value = id;
    try {
      const out = await fn();
      await list.refreshNow();
      return out;
    } finally {
      busy.value = null;
    }
  }

  return {
    list,
    busy,
    create: (body: { username: string; password: string; role: Role }): Promise<User> => run('new', () => createUser(body)),
    update: (id: string, changes: UserChanges): Promise<User> => run(id, () => updateUser(id, changes)),
    remove: (id: string): Promise<void> => run(id, () => deleteUser(id)),
  };
}
