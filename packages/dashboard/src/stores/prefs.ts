import { defineStore } from 'pinia';
import { ref, watch } from 'vue';

/** Polling choices offered in the header: seconds, 0 = off. */
export const POLL_CHOICES = [10, 30, 60, 0] as const;
export type Locale = 'en' | 'zh-CN';

const KEY = 'logsage.prefs';

interface Saved {
  pollSeconds?: number;
  locale?: Locale;
}

function load(): Saved {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? '{}') as Saved;
  } catch {
    return {};
  }
}

/** zh-CN for a browser whose first language is Chinese, English otherwise. */
export function browserLocale(langs: readonly string[] = navigator.languages ?? [navigator.language]): Locale {
  return (langs[0] ?? '').toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** The user's display preferences, remembered in this browser. */
export const usePrefs = defineStore('prefs', () => {
  const saved = load();
  const pollSeconds = ref<number>(POLL_CHOICES.includes(saved.pollSeconds as never) ? (saved.pollSeconds as number) : 30);
  const locale = ref<Locale>(saved.locale === 'en' || saved.locale === 'zh-CN' ? saved.locale : browserLocale());
  watch([pollSeconds, locale], () => localStorage.setItem(KEY, JSON.stringify({ pollSeconds: pollSeconds.value, locale: locale.value })));
  /** Bumped by the refresh button: every poller reloads at once. */
  const refreshTick = ref(0);
  return { pollSeconds, locale, refreshTick, refreshAll: () => void refreshTick.value++ };
});
