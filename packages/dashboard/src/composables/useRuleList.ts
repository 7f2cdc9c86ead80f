import { computed } from 'vue';
import { listAlerts, type Alert } from '../api/alerts';
import { listChannels } from '../api/channels';
import { listRules, type ChannelRef, type Rule } from '../api/rules';
import { usePolling } from './usePolling';

/** Alerts read per poll to find each rule's latest (newest first: the first one of a rule is its latest). */
export const RECENT_ALERTS = 100;
/** Per-rule look-ups in flight at once, for rules not among the recent alerts. */
const LOOKUPS_AT_ONCE = 4;

/** A rule's latest alert: an alert, null when it never fired, undefined when it could not be read. */
export type LastFired = Alert | null | undefined;

export interface RuleListData {
  rules: Rule[];
  channels: ChannelRef[] | null;
  lastFired: Map<string, LastFired>;
}

/**
 * Each rule's latest alert with few requests: one page of the most recent alerts per poll, mapped by
 * rule id. Only when that page is full can an older alert exist for a rule it leaves out; those
 * rules are looked up one by one (`rule=<id>&limit=1`, a few at a time) once per page visit, and
 * remembered: a rule that fires again shows up in the recent page. A failed read leaves the column
 * unknown instead of failing the list.
 */
export async function findLastFired(rules: Rule[], cache: Map<string, Alert | null>, signal?: AbortSignal): Promise<Map<string, LastFired>> {
  const out = new Map<string, LastFired>();
  let recent: Alert[];
  try {
    recent = await listAlerts({ limit: RECENT_ALERTS }, signal);
  } catch {
    return out;
  }
  for (const a of recent) if (a.rule_id && !out.has(a.rule_id)) out.set(a.rule_id, a);
  const missing = rules.filter((r) => !out.has(r.id));
  if (recent.length < RECENT_ALERTS) {
    for (const r of missing) out.set(r.id, null);
    return out;
  }
  const queue = missing.filter((r) => !cache.has(r.id));
  const worker = async (): Promise<void> => {
    for (let r = queue.shift(); r; r = queue.shift()) {
      const id = r.id;
      const found = await listAlerts({ rule: id, limit: 1 }, signal).then((a) => a[0] ?? null, () => undefined);
      if (found !== undefined) cache.set(id, found);
    }
  };
  await Promise.all(Array.from({ length: LOOKUPS_AT_ONCE }, worker));
  for (const r of missing) out.set(r.id, cache.get(r.id));
  return out;
}

/** The rules list: every rule, the channels' names, and when each rule last fired (polled). */
export function useRuleList() {
  const cache = new Map<string, Alert | null>();
  const polled = usePolling<RuleListData>(async (signal) => {
    const [rules, channels] = await Promise.all([listRules(signal), listChannels(signal).catch(() => null)]);
    return { rules, channels, lastFired: await findLastFired(rules, cache, signal) };
  });
  const rules = computed(() => polled.data.value?.rules ?? []);
  const channelNames = computed(() => new Map((polled.data.value?.channels ?? []).map((c) => [c.id, c])));
  /** Shows a rule changed here at once (the next poll confirms it). */
  function replace(rule: Rule): void {
    const d = polled.data.value;
    if (d) polled.data.value = { ...d, rules: d.rules.map((r) => (r.id === rule.id ? rule : r)) };
  }
  function drop(id: string): void {
    const d = polled.data.value;
    if (d) polled.data.value = { ...d, rules: d.rules.filter((r) => r.id !== id) };
  }
  return { ...polled, rules, channelNames, channelsKnown: computed(() => Boolean(polled.data.value?.channels)), replace, drop };
}
