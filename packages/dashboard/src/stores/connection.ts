import { defineStore } from 'pinia';
import { ref } from 'vue';

/** Whether the API answered the last request; drives the "cannot reach the server" banner. */
export const useConnection = defineStore('connection', () => {
  const reachable = ref(true);
  const since = ref<number | null>(null);
  function report(ok: boolean): void {
    if (ok === reachable.value) return;
    reachable.value = ok;
    since.value = ok ? null : Date.now();
  }
  return { reachable, since, report };
});
