import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import type * as ElementPlusModule from 'element-plus';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter } from 'vue-router';
import type * as ChannelsApi from '../src/api/channels';
import { createAppI18n } from '../src/i18n';
import { useAuth } from '../src/stores/auth';
import ChannelsPage from '../src/pages/ChannelsPage.vue';
import { buildChannel, buildDelivery } from './factories';

vi.mock('../src/api/channels', async (orig) => ({
  ...(await orig<typeof ChannelsApi>()),
  listChannels: vi.fn(), listDeliveries: vi.fn(), retryDelivery: vi.fn(),
}));
vi.mock('element-plus', async (importOriginal) => {
  const m = await importOriginal<typeof ElementPlusModule>();
  return { ...m, ElMessage: { success: vi.fn(), error: vi.fn() } };
});
const api = vi.mocked(await import('../src/api/channels'));

async function mountPage(role: 'viewer' | 'editor', url: string) {
  const pinia = createPinia();
  setActivePinia(pinia);
  const auth = useAuth();
  auth.user = { kind: 'user', id: 'u1', name: 'alice', role };
  auth.checked = true;
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { render: () => null } }] });
  await router.push(url);
  await router.isReady();
  const wrapper = mount(ChannelsPage, { global: { plugins: [ElementPlus, createAppI18n('en'), pinia, router] } });
  await flushPromises();
  return { wrapper, router };
}
const outboxCalls = () => api.listDeliveries.mock.calls.map((c) => c[0]).filter((q) => q.limit !== 1);
let mounted: VueWrapper | undefined;

const parked = buildDelivery({ id: '12', state: 'parked', attempts: 5, lastStatus: 400, lastError: 'HTTP 400', sentAt: null });
const refused = buildDelivery({ id: '10', state: 'parked', attempts: 1, lastStatus: null, lastError: 'refused: 10.0.0.1 is a private address', sentAt: null });
const sent = buildDelivery({ id: '11', status: 'resolved' });

beforeEach(() => {
  vi.clearAllMocks();
  localStorage.clear();
  api.listChannels.mockResolvedValue([buildChannel()]);
  api.listDeliveries.mockImplementation(async (q) => (q.limit === 1 ? [] : [parked, sent, refused]));
});
afterEach(() => {
  mounted?.unmount();
  mounted = undefined;
});

describe('deliveries', { timeout: 20_000 }, () => {
  it('reads the filters from the address, shows each row’s alert, state and last result', async () => {
    const { wrapper } = await mountPage('editor', '/channels?tab=deliveries&channel=c1&state=parked');
    mounted = wrapper;
    expect(outboxCalls()).toEqual([{ channel_id: 'c1', state: 'parked', limit: 50 }]);
    const rows = wrapper.findAll('[data-test="delivery-row"]');
    expect(rows.map((r) => [r.attributes('data-id'), r.attributes('data-state')])).toEqual([['12', 'parked'], ['11', 'sent'], ['10', 'parked']]);
    const first = wrapper.find('[data-test="deliveries-table"]').findAll('.el-table__row')[0]!;
    expect(first.find('[data-test="delivery-alert"]').attributes('href')).toBe('/alerts/7');
    expect(first.text()).toContain('High errors');
    expect(first.text()).toContain('SRE group');
    expect(first.find('[data-test="delivery-attempts"]').text()).toBe('5');
    expect(first.find('[data-test="delivery-status"]').text()).toBe('status 400');
    expect(first.find('[data-test="delivery-error"]').exists()).toBe(false); // "HTTP 400" would only repeat the status
    expect(wrapper.find('[data-test="deliveries-table"]').findAll('.el-table__row')[2]!.find('[data-test="delivery-error"]').text()).toBe('refused: 10.0.0.1 is a private address');
    expect(wrapper.findAll('[data-test="delivery-retry"]')).toHaveLength(2); // parked rows only
  });

  it('retry re-drives a parked row and shows the server’s answer in its place', async () => {
    api.retryDelivery.mockResolvedValue({ ...parked, state: 'pending', attempts: 0 });
    const { wrapper } = await mountPage('editor', '/channels?tab=deliveries');
    mounted = wrapper;
    await wrapper.find('[data-test="delivery-retry"]').trigger('click');
    await flushPromises();
    expect(api.retryDelivery).toHaveBeenCalledWith('12');
    expect(wrapper.find('[data-test="delivery-row"][data-id="12"]').attributes('data-state')).toBe('pending');
    expect(wrapper.findAll('[data-test="delivery-retry"]')).toHaveLength(1); // the other parked row's
  });

  it('pages back with before = the last id shown', async () => {
    const page = Array.from({ length: 50 }, (_, i) => buildDelivery({ id: String(200 - i) }));
    api.listDeliveries.mockImplementation(async (q) => (q.limit === 1 ? [] : q.before ? [buildDelivery({ id: '3' })] : page));
    const { wrapper } = await mountPage('editor', '/channels?tab=deliveries');
    mounted = wrapper;
    await wrapper.find('[data-test="deliveries-load-more"]').trigger('click');
    await flushPromises();
    expect(outboxCalls().at(-1)).toEqual({ limit: 50, before: '151' });
    expect(wrapper.findAll('[data-test="delivery-row"]')).toHaveLength(51);
    expect(wrapper.find('[data-test="deliveries-load-more"]').exists()).toBe(false);
  });

  it('a viewer sees the deliveries without a retry button', async () => {
    const { wrapper } = await mountPage('viewer', '/channels?tab=deliveries');
    mounted = wrapper;
    expect(wrapper.findAll('[data-test="delivery-row"]')).toHaveLength(3);
    expect(wrapper.find('[data-test="delivery-retry"]').exists()).toBe(false);
  });

  it('a channel’s last delivery opens its deliveries', async () => {
    api.listDeliveries.mockImplementation(async () => [sent]);
    const { wrapper, router } = await mountPage('viewer', '/channels');
    mounted = wrapper;
    await wrapper.find('[data-test="channel-last"]').trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.query).toEqual({ tab: 'deliveries', channel: 'c1' });
  });
});
