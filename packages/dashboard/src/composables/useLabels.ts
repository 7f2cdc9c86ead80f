import { useI18n } from 'vue-i18n';

/**
 * Names for the server's and the model's vocabulary (levels, severities, categories, states, event
 * kinds): the translation when there is one, else the raw value, so a value added on the server
 * later still shows instead of a missing-key path. The raw value is never handed to vue-i18n as a
 * message: it comes from logs and model output and could hold message syntax ({, @, |).
 */
export function useLabels() {
  const { t, te } = useI18n();
  /** The name of `value` in the message group `group` (e.g. `alerts.history.event`). */
  const name = (group: string, value: string): string => (te(`${group}.${value}`) ? t(`${group}.${value}`) : value);
  return {
    name,
    level: (v: string): string => name('level', v),
    severity: (v: string): string => name('severity', v),
    category: (v: string): string => name('category', v),
  };
}
