import { createI18n } from 'vue-i18n';
import type { Locale } from '../stores/prefs';

type Tree = { [k: string]: string | Tree };
type AreaMessages = { en: Tree; 'zh-CN': Tree };

// Every file in messages/ is one area's strings; they are merged here so areas never edit one file.
const areas = import.meta.glob<{ default: AreaMessages }>('./messages/*.ts', { eager: true });

function merge(): Record<Locale, Tree> {
  const out: Record<Locale, Tree> = { en: {}, 'zh-CN': {} };
  for (const mod of Object.values(areas)) {
    Object.assign(out.en, mod.default.en);
    Object.assign(out['zh-CN'], mod.default['zh-CN']);
  }
  return out;
}

/** The app's i18n instance (Composition API mode). */
export function createAppI18n(locale: Locale) {
  return createI18n({ legacy: false, locale, fallbackLocale: 'en', messages: merge(), missingWarn: false, fallbackWarn: false });
}
