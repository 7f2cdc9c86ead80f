import { computed, watch } from 'vue';
import { useRoute, useRouter, type LocationQueryValue } from 'vue-router';
import { usePolling } from './usePolling';
import { listTemplates, type TemplateQuery } from '../api/analysis';

export const PAGE_SIZES = [25, 50, 100] as const;
const DEFAULT_SIZE = 50;

export interface TemplateFilters {
  q: string;
  order: 'count' | 'last_seen';
  page: number;
  size: number;
}

const one = (v: LocationQueryValue | LocationQueryValue[] | undefined): string => (Array.isArray(v) ? v[0] : v) ?? '';

/** Reads the filters from a route query, falling back to defaults for anything malformed. */
export function filtersFrom(query: Record<string, LocationQueryValue | LocationQueryValue[] | undefined>): TemplateFilters {
  const page = Number.parseInt(one(query.page), 10);
  const size = Number.parseInt(one(query.size), 10);
  return {
    q: one(query.q).slice(0, 200),
    order: one(query.order) === 'last_seen' ? 'last_seen' : 'count',
    page: Number.isFinite(page) && page > 0 ? page : 1,
    size: (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_SIZE,
  };
}

/** The API query for a page of templates. */
export function templateQuery(f: TemplateFilters): TemplateQuery {
  return { order: f.order, limit: f.size, offset: (f.page - 1) * f.size, q: f.q.trim() || undefined, sparkline: true };
}

/**
 * The templates list, its filters kept in the URL (so a filtered list can be shared and Back
 * restores it). A new filter starts over from the first page and drops the old page's rows.
 */
export function useTemplates() {
  const route = useRoute();
  const router = useRouter();
  const filters = computed(() => filtersFrom(route.query));
  const list = usePolling((signal) => listTemplates(templateQuery(filters.value), signal));
  watch(() => JSON.stringify(templateQuery(filters.value)), () => void list.reset());

  function update(change: Partial<TemplateFilters>): void {
    const next = { ...filters.value, ...change };
    if (change.q !== undefined || change.order !== undefined || change.size !== undefined) next.page = change.page ?? 1;
    void router.replace({
      query: {
        ...route.query,
        q: next.q || undefined,
        order: next.order === 'count' ? undefined : next.order,
        page: next.page > 1 ? String(next.page) : undefined,
        size: next.size === DEFAULT_SIZE ? undefined : String(next.size),
      },
    });
  }
  return { filters, list, update };
}
