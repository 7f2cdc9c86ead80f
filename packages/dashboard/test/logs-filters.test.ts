import { describe, expect, it } from 'vitest';
import { mount, flushPromises } from '@vue/test-utils';
import { createMemoryHistory, createRouter } from 'vue-router';
import { defineComponent, h } from 'vue';
import { EMPTY_FILTERS, PAGE_SIZE, filtersFromQuery, filtersKey, filtersToApi, filtersToQuery, useLogsFilters, type LogsFilters } from '../src/composables/useLogsFilters';

const NOW = Date.parse('2026-12-01T12:00:00.000Z');

describe('URL query → filters', () => {
  it('reads every filter, lists comma-separated or repeated', () => {
    const f = filtersFromQuery({
      range: '6h', service: 'api,auth', level: ['error', 'warn'], severity: 'high', anomaly: '1', template: 'abc', q: ' "timed out" -retry ',
    });
    expect(f).toEqual({
      range: { kind: 'quick', key: '6h' }, services: ['api', 'auth'], levels: ['error', 'warn'], severities: ['high'],
      anomaly: true, templates: ['abc'], q: '"timed out" -retry',
    });
  });

  it('gives the empty filters for a bare /logs, and drops blanks and repeats', () => {
    expect(filtersFromQuery({})).toEqual(EMPTY_FILTERS);
    expect(filtersFromQuery({ level: 'error,,error, warn ' }).levels).toEqual(['error', 'warn']);
    expect(filtersFromQuery({ anomaly: '0' }).anomaly).toBe(false);
  });
});

describe('filters → URL query', () => {
  it('round-trips', () => {
    const f: LogsFilters = {
      range: { kind: 'absolute', from: Date.parse('2026-11-30T08:00:00Z'), to: Date.parse('2026-11-30T09:00:00Z') },
      services: ['api'], levels: ['error'], severities: ['critical', 'high'], anomaly: true, templates: ['t1', 't2'], q: 'disk -tmp',
    };
    const q = filtersToQuery(f);
    expect(q).toEqual({
      from: '2026-11-30T08:00:00.000Z', to: '2026-11-30T09:00:00.000Z', service: 'api', level: 'error',
      severity: 'critical,high', anomaly: '1', template: 't1,t2', q: 'disk -tmp',
    });
    expect(filtersFromQuery(q as Record<string, string>)).toEqual(f);
  });

  it('writes nothing for the empty filters, so the plain view stays at /logs', () => {
    expect(filtersToQuery(EMPTY_FILTERS)).toEqual({});
  });

  it('keys a quick range by name: polling (a moving now) is not a filter change', () => {
    const f = filtersFromQuery({ range: '1h' });
    expect(filtersKey(f)).toBe(filtersKey(filtersFromQuery({ range: '1h' })));
    expect(filtersKey(f)).not.toBe(filtersKey(filtersFromQuery({ range: '6h' })));
  });
});

describe('filters → API query', () => {
  it('resolves the range against now and passes lists as lists, template included', () => {
    const f = filtersFromQuery({ range: '15m', service: 'api', level: 'error,fatal', severity: 'high', anomaly: 'true', template: 'abc', q: 'oom' });
    expect(filtersToApi(f, NOW)).toEqual({
      from: '2026-12-01T11:45:00.000Z', to: '2026-12-01T12:00:00.000Z', limit: PAGE_SIZE,
      service: ['api'], level: ['error', 'fatal'], severity: ['high'], anomaly: true, template: ['abc'], q: 'oom',
    });
  });

  it('leaves empty filters out and never sends anomaly=false', () => {
    expect(filtersToApi(EMPTY_FILTERS, NOW)).toEqual({ from: '2026-11-30T12:00:00.000Z', to: '2026-12-01T12:00:00.000Z', limit: PAGE_SIZE });
  });
});

describe('useLogsFilters', () => {
  async function setup(path: string) {
    let api!: ReturnType<typeof useLogsFilters>;
    const Probe = defineComponent({ setup: () => { api = useLogsFilters(); return () => h('div'); } });
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/logs', component: Probe }] });
    await router.push(path);
    await router.isReady();
    mount(Probe, { global: { plugins: [router] } });
    return { api, router };
  }

  it('opens the view a link names', async () => {
    const { api } = await setup('/logs?template=abc&level=error');
    expect(api.filters.value.templates).toEqual(['abc']);
    expect(api.filters.value.levels).toEqual(['error']);
  });

  it('pushes each change to the URL, so back undoes it', async () => {
    const { api, router } = await setup('/logs?level=error');
    await api.update({ services: ['api'] });
    expect(router.currentRoute.value.query).toEqual({ level: 'error', service: 'api' });
    router.back();
    await flushPromises();
    await new Promise((r) => setTimeout(r, 10));
    expect(router.currentRoute.value.query).toEqual({ level: 'error' });
    expect(api.filters.value.services).toEqual([]);
  });

  it('does not push an identical URL', async () => {
    const { api, router } = await setup('/logs?level=error');
    const before = router.currentRoute.value;
    await api.update({ levels: ['error'] });
    expect(router.currentRoute.value).toBe(before);
  });
});
