import { compileSafeRegex } from './safe-regex.js';
import type { Matcher } from './schema.js';

/** Labels a silence is matched against: the group labels plus the rule's name and id and the alert's severity. */
export function matchableLabels(a: { labels: Record<string, string>; rule_name: string; rule_id: string | null; severity: string }): Record<string, string> {
  return { severity: a.severity, ...a.labels, rule: a.rule_name, rule_id: a.rule_id ?? '' };
}

/** Compiles matchers once; as in Alertmanager a missing label reads as "" and regexes match the whole value. */
export function compileMatchers(matchers: Matcher[]): (labels: Record<string, string>) => boolean {
  const tests = matchers.map((m) => {
    const re = m.is_regex ? compileSafeRegex(`^(?:${m.value})$`) : undefined;
    const hit = (v: string): boolean => (re ? re.test(v) : v === m.value);
    const equal = m.is_equal ?? true;
    return (labels: Record<string, string>) => hit(labels[m.name] ?? '') === equal;
  });
  return (labels) => tests.every((t) => t(labels));
}

/** The first silence (of those in force) that mutes these labels, or undefined. */
export function findSilence<S extends { id: string; matchers: Matcher[] }>(silences: S[], labels: Record<string, string>): S | undefined {
  return silences.find((s) => compileMatchers(s.matchers)(labels));
}
