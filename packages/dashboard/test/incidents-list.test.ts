import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter } from 'vue-router';
import { createAppI18n } from '../src/i18n';
import IncidentsPage from '../src/pages/IncidentsPage.vue';
import { incidentFiltersFromQuery, queryFromIncidentFilters } from '../src/composables/useIncidentFilters';
import { incidentQuery } from '../src/composables/useIncidentList';
import { buildIncident } from './factories';

vi.mock('../src/api/incidents', () => ({ listIncidents: vi.fn(), getIncident: vi.fn() }));
vi.mock('../src/api/logs', () => ({ listServices: vi.fn(async () => [{ name: 'payment-api' }, { name: 'web' }]) }));
const api = vi.mocked(await import('../src/api/incidents'));

let mounted: VueWrapper | undefined;
async function mountPage(url: string, locale: 'en' | 'zh-CN' = 'en') {
  const pinia = createPinia();
  setActivePinia(pinia);
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { render: () => null } }] });
  await router.push(url);
  await router.isReady();
  mounted = mount(IncidentsPage, { global: { plugins: [ElementPlus, createAppI18n(locale), pinia, router] } });
  await flushPromises();
  return { wrapper: mounted, router };
}
const queries = () => api.listIncidents.mock.calls.map((c) => c[0]);

beforeEach(() => {
  vi.clearAllMocks();
  localStorage.clear();
});
afterEach(() => {
  mounted?.unmount();
  mounted = undefined;
});

describe('incident filters in the address', () => {
  it('reads open by default, drops an unknown state, and leaves defaults out of the address', () => {
    expect(incidentFiltersFromQuery({})).toEqual({ state: 'open', service: '' });
    expect(incidentFiltersFromQuery({ state: 'bogus', service: 'web' })).toEqual({ state: 'open', service: 'web' });
    expect(incidentFiltersFromQuery({ state: ['resolved', 'all'] })).toEqual({ state: 'resolved', service: '' });
    expect(queryFromIncidentFilters({ state: 'open', service: '' })).toEqual({});
    expect(queryFromIncidentFilters({ state: 'all', service: 'web' })).toEqual({ state: 'all', service: 'web' });
    expect(incidentQuery({ state: 'all', service: '' })).toEqual({ state: 'all' });
  });

  it('sends the address filters to the API and shows one row per incident', async () => {
    api.listIncidents.mockResolvedValue({ incidents: [buildIncident(), buildIncident({ id: 'inc_2', state: 'resolved', story_state: 'failed', resolved_at: '2026-12-01T11:00:00.000Z' })], next: null });
    const { wrapper } = await mountPage('/incidents?state=all&service=payment-api');
    expect(queries()).toEqual([{ state: 'all', service: 'payment-api', limit: 50 }]);
    const rows = wrapper.findAll('[data-test=incident-row]');
    expect(rows.map((r) => [r.attributes('data-id'), r.attributes('data-state')])).toEqual([['inc_1', 'open'], ['inc_2', 'resolved']]);
    const first = rows[0]!;
    expect(first.get('[data-test=incident-link]').attributes('href')).toBe('/incidents/inc_1');
    expect(first.get('[data-test=incident-link]').text()).toBe('New error template in payment-api');
    expect(first.get('[data-test=incident-severity]').text()).toBe('high');
    expect(first.get('[data-test=incident-services]').text()).toContain('payment-api');
    expect(first.get('[data-test=incident-signals]').text()).toBe('1');
    expect(rows[1]!.get('[data-test=incident-story-state]').text()).toBe('Story failed');
  });

  it('asks again and keeps the state in the address when the switch changes; an empty list says why', async () => {
    api.listIncidents.mockResolvedValue({ incidents: [], next: null });
    const { wrapper, router } = await mountPage('/incidents');
    expect(queries()).toEqual([{ state: 'open', limit: 50 }]);
    expect(wrapper.get('[data-state=empty]').text()).toContain('No open incidents');
    await wrapper.get('[data-test=incidents-state] input[value=resolved]').setValue(true);
    await flushPromises();
    expect(router.currentRoute.value.query).toEqual({ state: 'resolved' });
    expect(queries().at(-1)).toEqual({ state: 'resolved', limit: 50 });
    expect(wrapper.get('[data-state=empty]').text()).toContain('No resolved incidents');
  });

  it('"load more" pages on with the cursor the server gave', async () => {
    const page1 = Array.from({ length: 50 }, (_, i) => buildIncident({ id: `inc_${100 - i}` }));
    api.listIncidents.mockImplementation(async (q) => (q.before === 'c50' ? { incidents: [buildIncident({ id: 'inc_1' })], next: null } : { incidents: page1, next: 'c50' }));
    const { wrapper } = await mountPage('/incidents');
    expect(wrapper.findAll('[data-test=incident-row]')).toHaveLength(50);
    await wrapper.get('[data-test=incidents-load-more]').trigger('click');
    await flushPromises();
    expect(queries().at(-1)).toEqual({ state: 'open', limit: 50, before: 'c50' });
    expect(wrapper.findAll('[data-test=incident-row]')).toHaveLength(51);
    expect(wrapper.find('[data-test=incidents-load-more]').exists()).toBe(false);
  });

  it('speaks Chinese', async () => {
    api.listIncidents.mockResolvedValue({ incidents: [buildIncident({ story_state: 'due' })], next: null });
    const { wrapper } = await mountPage('/incidents', 'zh-CN');
    expect(wrapper.get('h1').text()).toContain('故障');
    expect(wrapper.get('[data-test=incident-story-state]').text()).toBe('分析中');
    expect(wrapper.get('[data-test=incidents-state] .is-active').text()).toBe('进行中');
  });
});
