import { computed } from 'vue';
import { useRoute, useRouter, type LocationQuery } from 'vue-router';
import { listServices } from '../api/logs';
import { SEVERITIES } from '../lib/format';
import type { AlertFilters, StateFilter } from './useAlertList';
import { usePolling } from './usePolling';

const STATES: readonly StateFilter[] = ['firing', 'resolved', 'all'];
const one = (v: LocationQuery[string] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));

/** Reads the list filters from the address (firing by default; unknown values are dropped). */
export function filtersFromQuery(q: LocationQuery): AlertFilters {
  const state = one(q.state) as StateFilter;
  const severity = one(q.severity);
  const rule = one(q.rule);
  return {
    state: STATES.includes(state) ? state : 'firing',
    severity: (SEVERITIES as readonly string[]).includes(severity) ? severity : '',
    service: one(q.service),
    ...(rule ? { rule } : {}),
  };
}

/** The address query for these filters (defaults left out, so /alerts stays /alerts). */
export function queryFromFilters(f: AlertFilters): Record<string, string> {
  const q: Record<string, string> = {};
  if (f.state !== 'firing') q.state = f.state;
  if (f.severity) q.severity = f.severity;
  if (f.service) q.service = f.service;
  if (f.rule) q.rule = f.rule;
  return q;
}

/**
 * The alerts list filters kept in the address, so a filtered list can be linked and survives a
 * reload; plus the service names to pick from (loaded once: they rarely change).
 */
export function useAlertFilters() {
  const route = useRoute();
  const router = useRouter();
  const filters = computed<AlertFilters>({
    get: () => filtersFromQuery(route.query),
    set: (f) => void router.replace({ query: queryFromFilters(f) }),
  });
  const services = usePolling(async (signal) => (await listServices(signal)).map((s) => s.name), { seconds: () => 0 });
  const serviceOptions = computed(() => {
    const names = services.data.value ?? [];
    const current = filters.value.service;
    return current && !names.includes(current) ? [current, ...names] : names;
  });
  return { filters, serviceOptions, servicesError: services.error };
}
