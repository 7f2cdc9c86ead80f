import { useI18n } from 'vue-i18n';

/**
 * Names for the model's and the server's vocabulary (severities, categories, levels, verdict
 * states): the translation when there is one, else the raw value, so a value added on the server
 * later still shows instead of a missing-key path.
 */
export function useTemplatesLabels() {
  const { t, te } = useI18n();
  const name = (key: string, value: string): string => (te(`${key}.${value}`) ? t(`${key}.${value}`) : value);
  return {
    severity: (v: string): string => name('severity', v),
    category: (v: string): string => name('templates.category', v),
    level: (v: string): string => name('level', v),
    state: (v: string): string => name('templates.state', v),
    stateHint: (v: string): string => name('templates.state', `${v}Hint`),
    circuit: (v: string): string => name('overview.state.circuitState', v),
  };
}
