import { useI18n } from 'vue-i18n';
import type { RuleConditions } from '../api/rules';
import { formatDuration } from '../components/rules/duration';
import { useLabels } from './useLabels';

const MAX_LISTED = 3;

/**
 * A rule in words, for the list: its conditions on one line ("high or higher · anomalies only ·
 * service payment-* · text contains "timeout""), its threshold ("3 in 10 min"). Values from the
 * rule (service names, text) are passed as message values, never parsed as message syntax.
 */
export function useRuleSummary() {
  const { t } = useI18n();
  const labels = useLabels();

  /** "a, b, c +2": a long list cut, with how many more. */
  function list(values: string[], show: (v: string) => string = (v) => v): string {
    const head = values.slice(0, MAX_LISTED).map(show).join(t('rules.summary.sep'));
    return values.length > MAX_LISTED ? t('rules.summary.more', { list: head, n: values.length - MAX_LISTED }) : head;
  }

  /** One phrase per condition, in the editor's order; empty for a rule that counts every result. */
  function conditions(c: RuleConditions): string[] {
    const out: string[] = [];
    if (c.min_severity) out.push(c.min_severity === 'critical' ? t('rules.summary.critical') : t('rules.summary.minSeverity', { severity: labels.severity(c.min_severity) }));
    if (c.anomaly !== undefined) out.push(t(c.anomaly ? 'rules.summary.anomalies' : 'rules.summary.nonAnomalies'));
    if (c.categories?.length) out.push(t('rules.summary.categories', { list: list(c.categories, labels.category) }));
    if (c.services?.length) out.push(t('rules.summary.services', { list: list(c.services) }));
    if (c.service_pattern) out.push(t('rules.summary.servicePattern', { pattern: c.service_pattern }));
    if (c.levels?.length) out.push(t('rules.summary.levels', { list: list(c.levels, labels.level) }));
    if (c.templates?.length) out.push(t('rules.summary.templates', { n: c.templates.length }, c.templates.length));
    const nocase = c.ignore_case === false ? '' : t('rules.summary.ignoreCase');
    if (c.text_contains) out.push(t('rules.summary.textContains', { text: c.text_contains, nocase }));
    if (c.text_regex) out.push(t('rules.summary.textRegex', { regex: c.text_regex, flags: c.ignore_case === false ? '' : 'i' }));
    return out;
  }

  /** "each match", "3 in 10 min", "5 in 2 h". */
  function threshold(th: { count: number; window_minutes: number }): string {
    if (th.count <= 1) return t('rules.summary.eachMatch');
    return t('rules.summary.threshold', { count: th.count, window: formatDuration(th.window_minutes, 'min', (u) => t(`rules.unit.${u}`)) });
  }

  return { conditions, threshold };
}
