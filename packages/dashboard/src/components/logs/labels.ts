import { useI18n } from 'vue-i18n';

/**
 * The translated name of a level or severity, or the raw value when it has none. The raw value is
 * never handed to vue-i18n as a message: it comes from logs and could hold its syntax ({, @, |).
 */
export function useValueLabel(): (group: 'level' | 'severity', value: string) => string {
  const { t, te } = useI18n();
  return (group, value) => (te(`${group}.${value}`) ? t(`${group}.${value}`) : value);
}
