import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, type Component, type PropType } from 'vue';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter } from 'vue-router';
import { createAppI18n } from '../src/i18n';
import { useAuth } from '../src/stores/auth';
import type { Alert } from '../src/api/alerts';
import AlertsPage from '../src/pages/AlertsPage.vue';
import AlertCard from '../src/components/alerts/AlertCard.vue';
import { alertQueries, walkAlerts } from '../src/composables/useAlertList';
import { filtersFromQuery, queryFromFilters } from '../src/composables/useAlertFilters';
import { buildAlert } from './factories';

vi.mock('../src/api/alerts', () => ({ listAlerts: vi.fn(), getAlert: vi.fn(), ackAlert: vi.fn(), silenceAlert: vi.fn() }));
vi.mock('../src/api/logs', () => ({ listServices: vi.fn(async () => [{ name: 'api-gateway' }]), listLogs: vi.fn(), getLog: vi.fn() }));
const alertsApi = vi.mocked(await import('../src/api/alerts'));

// Fifty full cards take seconds in happy-dom; paging tests only need the rows' ids.
const CardStub = defineComponent({
  props: { alert: { type: Object as PropType<Alert>, required: true } },
  setup: (p) => () => h('div', { 'data-test': 'alert-row', 'data-id': p.alert.id }),
});

async function mountPage(url: string, stubCards = false) {
  const pinia = createPinia();
  setActivePinia(pinia);
  const auth = useAuth();
  auth.user = { kind: 'user', id: 'u1', name: 'alice', role: 'editor' };
  auth.checked = true;
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { render: () => null } }] });
  await router.push(url);
  await router.isReady();
  const stubs: Record<string, Component> = stubCards ? { AlertCard: CardStub } : {};
  const wrapper = mount(AlertsPage, { global: { plugins: [ElementPlus, createAppI18n('en'), pinia, router], stubs } });
  await flushPromises();
  return { wrapper, router };
}

const queries = () => alertsApi.listAlerts.mock.calls.map((c) => c[0]);
let mounted: VueWrapper | undefined;

beforeEach(() => {
  vi.clearAllMocks();
  localStorage.clear();
});
afterEach(() => {
  mounted?.unmount();
  mounted = undefined;
});

describe('alerts list filters', () => {
  it('reads the filters from the address and sends them to the API', async () => {
    alertsApi.listAlerts.mockResolvedValue([buildAlert()]);
    const { wrapper } = await mountPage('/alerts?state=resolved&severity=critical&service=api-gateway');
    mounted = wrapper;
    expect(queries()).toEqual([{ state: 'resolved', severity: 'critical', service: 'api-gateway', limit: 50 }]);
    expect(wrapper.findAll('[data-test=alert-row]')).toHaveLength(1);
  });

  it('asks again with the new state when the switch changes, and keeps it in the address', async () => {
    alertsApi.listAlerts.mockResolvedValue([]);
    const { wrapper, router } = await mountPage('/alerts');
    mounted = wrapper;
    expect(queries()).toEqual([{ state: 'firing', limit: 50 }]);
    await wrapper.find('[data-test=alerts-state] input[value=resolved]').setValue(true);
    await flushPromises();
    expect(router.currentRoute.value.query).toEqual({ state: 'resolved' });
    expect(queries().at(-1)).toEqual({ state: 'resolved', limit: 50 });
    expect(wrapper.find('[data-state=empty]').text()).toContain('No resolved alerts');
  });

  it('"all" lists firing alerts first, then resolved ones, and "load more" pages on with before', async () => {
    const firing = [buildAlert({ id: '9' }), buildAlert({ id: '4' })];
    const resolved = Array.from({ length: 48 }, (_, i) => buildAlert({ id: String(100 - i), state: 'resolved' }));
    alertsApi.listAlerts.mockImplementation(async (q) => {
      if (q.state === 'firing') return firing;
      return q.before ? [buildAlert({ id: '3', state: 'resolved' })] : resolved;
    });
    const { wrapper } = await mountPage('/alerts?state=all', true);
    mounted = wrapper;
    expect(queries()).toEqual([{ state: 'firing', limit: 50 }, { state: 'resolved', limit: 48 }]);
    const ids = wrapper.findAll('[data-test=alert-row]').map((r) => r.attributes('data-id'));
    expect(ids.slice(0, 3)).toEqual(['9', '4', '100']);
    await wrapper.find('[data-test=alerts-load-more]').trigger('click');
    await flushPromises();
    expect(queries().at(-1)).toEqual({ state: 'resolved', before: '53', limit: 50 });
    expect(wrapper.findAll('[data-test=alert-row]').map((r) => r.attributes('data-id')).at(-1)).toBe('3');
    expect(wrapper.find('[data-test=alerts-load-more]').exists()).toBe(false);
  });

  it('shows the server error in place of the list', async () => {
    alertsApi.listAlerts.mockRejectedValue(new Error('database unavailable'));
    const { wrapper } = await mountPage('/alerts');
    mounted = wrapper;
    expect(wrapper.find('[data-state=error]').text()).toContain('database unavailable');
  });
});

describe('alerts list helpers', () => {
  it('drops unknown filter values and leaves defaults out of the address', () => {
    expect(filtersFromQuery({ state: 'bogus', severity: 'urgent', service: 'x' })).toEqual({ state: 'firing', severity: '', service: 'x' });
    expect(queryFromFilters({ state: 'firing', severity: '', service: '' })).toEqual({});
    expect(queryFromFilters({ state: 'all', severity: 'low', service: 's' })).toEqual({ state: 'all', severity: 'low', service: 's' });
  });

  it('walks into the next query when a page comes back short', async () => {
    alertsApi.listAlerts.mockResolvedValueOnce([buildAlert({ id: '5' })]).mockResolvedValueOnce([buildAlert({ id: '2', state: 'resolved' })]);
    const page = await walkAlerts(alertQueries({ state: 'all', severity: 'high', service: '' }), { segment: 0 }, 2);
    expect(page.alerts.map((a) => a.id)).toEqual(['5', '2']);
    expect(queries()).toEqual([{ state: 'firing', severity: 'high', limit: 2 }, { state: 'resolved', severity: 'high', limit: 1 }]);
    expect(page.next).toEqual({ segment: 1, before: '2' });
  });
});

describe('alert text', () => {
  it('renders model output and labels as text, never as HTML', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { render: () => null } }] });
    const evil = '<img src=x onerror=alert(1)>';
    const wrapper = mount(AlertCard, {
      props: { alert: buildAlert({ summary: evil, root_cause: evil, labels: { service: evil } }) },
      global: { plugins: [ElementPlus, createAppI18n('en'), pinia, router] },
    });
    await wrapper.find('[data-test=alert-expand]').trigger('click');
    expect(wrapper.find('img').exists()).toBe(false);
    expect(wrapper.find('[data-test=alert-summary]').text()).toBe(evil);
    expect(wrapper.find('[data-test=alert-root-cause]').text()).toBe(evil);
    wrapper.unmount();
  });
});
