import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import * as api from '../api/auth';
import { ApiError } from '../api/http';

/** The signed-in user; `load()` asks the server once per page load. */
export const useAuth = defineStore('auth', () => {
  const user = ref<api.Me | null>(null);
  const checked = ref(false);
  const canEdit = computed(() => user.value?.role === 'editor' || user.value?.role === 'admin');
  const isAdmin = computed(() => user.value?.role === 'admin');

  async function load(): Promise<api.Me | null> {
    try {
      user.value = await api.me();
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 401) throw err;
      user.value = null;
    }
    checked.value = true;
    return user.value;
  }
  async function login(username: string, password: string): Promise<void> {
    await api.login(username, password);
    await load();
  }
  async function logout(): Promise<void> {
    try {
      await api.logout();
    } finally {
      user.value = null;
    }
  }
  /** The server said 401: the session is gone. */
  function expire(): void {
    user.value = null;
  }
  return { user, checked, canEdit, isAdmin, load, login, logout, expire };
});
