import { computed } from 'vue';
import { useRoute, useRouter, type LocationQuery } from 'vue-router';
import { listServices } from '../api/logs';
import type { IncidentState } from '../api/incidents';
import { usePolling } from './usePolling';

export type IncidentStateFilter = IncidentState | 'all';

export interface IncidentFilters {
  state: IncidentStateFilter;
  service: string;
}

export const INCIDENT_STATES: readonly IncidentStateFilter[] = ['open', 'resolved', 'all'];
const one = (v: LocationQuery[string] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));

/** Reads the list filters from the address (open by default; an unknown state is dropped). */
export function incidentFiltersFromQuery(q: LocationQuery): IncidentFilters {
  const state = one(q.state) as IncidentStateFilter;
  return { state: INCIDENT_STATES.includes(state) ? state : 'open', service: one(q.service) };
}

/** The address query for these filters (defaults left out, so /incidents stays /incidents). */
export function queryFromIncidentFilters(f: IncidentFilters): Record<string, string> {
  const q: Record<string, string> = {};
  if (f.state !== 'open') q.state = f.state;
  if (f.service) q.service = f.service;
  return q;
}

/**
 * The incidents list filters kept in the address (a filtered list can be linked and survives a
 * reload), and the service names to pick from (loaded once: they rarely change).
 */
export function useIncidentFilters() {
  const route = useRoute();
  const router = useRouter();
  const filters = computed<IncidentFilters>({
    get: () => incidentFiltersFromQuery(route.query),
    set: (f) => void router.replace({ query: queryFromIncidentFilters(f) }),
  });
  const services = usePolling(async (signal) => (await listServices(signal)).map((s) => s.name), { seconds: () => 0 });
  const serviceOptions = computed(() => {
    const names = services.data.value ?? [];
    const current = filters.value.service;
    return current && !names.includes(current) ? [current, ...names] : names;
  });
  return { filters, serviceOptions };
}
