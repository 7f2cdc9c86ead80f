import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import type * as ElementPlusModule from 'element-plus';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter } from 'vue-router';
import type * as ChannelsApi from '../src/api/channels';
import { createAppI18n } from '../src/i18n';
import { useAuth } from '../src/stores/auth';
import { ApiError } from '../src/api/http';
import type { TestResult } from '../src/api/channels';
import ChannelsPage from '../src/pages/ChannelsPage.vue';
import { buildChannel, buildDelivery } from './factories';

vi.mock('../src/api/channels', async (orig) => ({
  ...(await orig<typeof ChannelsApi>()),
  listChannels: vi.fn(), createChannel: vi.fn(), updateChannel: vi.fn(), deleteChannel: vi.fn(), testChannel: vi.fn(), listDeliveries: vi.fn(), retryDelivery: vi.fn(),
}));
vi.mock('element-plus', async (importOriginal) => {
  const m = await importOriginal<typeof ElementPlusModule>();
  return { ...m, ElMessage: { success: vi.fn(), error: vi.fn() }, ElMessageBox: { confirm: vi.fn() } };
});
const api = vi.mocked(await import('../src/api/channels'));
const { ElMessageBox } = vi.mocked(await import('element-plus'));

const hook = buildChannel({ id: 'c2', type: 'webhook', name: 'Ops hook', config: { url: 'https://hooks.example.com/••••hook', secret: '••••2345', headers: { 'X-Token': '••••' } } });

async function mountPage(role: 'viewer' | 'editor', url = '/channels') {
  const pinia = createPinia();
  setActivePinia(pinia);
  const auth = useAuth();
  auth.user = { kind: 'user', id: 'u1', name: 'alice', role };
  auth.checked = true;
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { render: () => null } }] });
  await router.push(url);
  await router.isReady();
  const wrapper = mount(ChannelsPage, { attachTo: document.body, global: { plugins: [ElementPlus, createAppI18n('en'), pinia, router] } });
  await flushPromises();
  return wrapper;
}

/** The dialog is teleported to <body>: look for its parts there. */
const inBody = (sel: string): HTMLElement | null => document.body.querySelector(sel);
const inputIn = (test: string): HTMLInputElement => inBody(`input[data-test="${test}"]`) as HTMLInputElement;
async function type(test: string, value: string): Promise<void> {
  const el = inputIn(test);
  el.value = value;
  el.dispatchEvent(new Event('input'));
  await flushPromises();
}
/** Clicks, then waits past Element Plus's 100 ms debounce before a form item shows its error. */
const click = async (el: Element | null | undefined): Promise<void> => {
  (el as HTMLElement).click();
  await flushPromises();
  await new Promise((r) => setTimeout(r, 150));
  await flushPromises();
};
const rowOf = (w: VueWrapper, id: string) => w.findAll('.el-table__row').find((r) => r.find(`[data-test="channel-row"][data-id="${id}"]`).exists())!;
let mounted: VueWrapper | undefined;

beforeEach(() => {
  vi.clearAllMocks();
  localStorage.clear();
  api.listChannels.mockResolvedValue([buildChannel(), hook]);
  api.listDeliveries.mockImplementation(async (q) => (q.channel_id === 'c1' ? [buildDelivery({ state: 'parked', lastStatus: 400, lastError: 'HTTP 400' })] : []));
});
afterEach(() => {
  mounted?.unmount();
  mounted = undefined;
  document.body.innerHTML = '';
});

describe('channels list', { timeout: 20_000 }, () => {
  it('shows each channel with its type, masked destination and last delivery; a viewer gets no control', async () => {
    mounted = await mountPage('viewer');
    const rows = mounted.findAll('[data-test="channel-row"]');
    expect(rows.map((r) => r.attributes('data-name'))).toEqual(['SRE group', 'Ops hook']);
    expect(rowOf(mounted, 'c1').find('[data-test="channel-destination"]').text()).toBe('https://oapi.dingtalk.com/••••a1b2');
    expect(rowOf(mounted, 'c1').find('[data-test="channel-type-tag"]').text()).toBe('DingTalk');
    expect(rowOf(mounted, 'c1').find('[data-test="delivery-state"]').attributes('data-state')).toBe('parked');
    expect(rowOf(mounted, 'c2').find('[data-test="channel-last-none"]').text()).toBe('nothing sent yet');
    expect(api.listDeliveries).toHaveBeenCalledWith({ channel_id: 'c1', limit: 1 }, expect.anything());
    for (const control of ['channel-new', 'channel-edit', 'channel-test', 'channel-delete', 'channel-enabled']) {
      expect(mounted.find(`[data-test="${control}"]`).exists(), control).toBe(false);
    }
    expect(mounted.find('[data-test="channel-enabled-tag"]').text()).toBe('On');
  });

  it('a test send shows a spinner while it runs, then the outcome and status beside the channel', async () => {
    let answer!: (r: TestResult) => void;
    api.testChannel.mockReturnValue(new Promise((r) => (answer = r)));
    mounted = await mountPage('editor');
    await rowOf(mounted, 'c2').find('[data-test="channel-test"]').trigger('click');
    await flushPromises();
    expect(rowOf(mounted, 'c2').find('[data-test="channel-test-result"]').attributes('data-ok')).toBe('running');
    answer({ ok: false, status: 500, error: 'HTTP 500' });
    await flushPromises();
    const result = rowOf(mounted, 'c2').find('[data-test="channel-test-result"]');
    expect(result.attributes('data-ok')).toBe('false');
    expect(result.text().replace(/\s+/g, ' ')).toMatch(/^Test message failed\s?status 500$/);
    expect(rowOf(mounted, 'c1').find('[data-test="channel-test-result"]').exists()).toBe(false);
    expect(api.testChannel).toHaveBeenCalledWith('c2');
  });

  it('deletes only after the confirmation, which says the outbox rows go too', async () => {
    ElMessageBox.confirm.mockRejectedValueOnce('cancel').mockResolvedValueOnce('confirm' as never);
    mounted = await mountPage('editor');
    await rowOf(mounted, 'c2').find('[data-test="channel-delete"]').trigger('click');
    await flushPromises();
    expect(api.deleteChannel).not.toHaveBeenCalled();
    expect(ElMessageBox.confirm.mock.calls[0]?.[0]).toMatch(/outbox rows go with it/);
    await rowOf(mounted, 'c2').find('[data-test="channel-delete"]').trigger('click');
    await flushPromises();
    expect(api.deleteChannel).toHaveBeenCalledWith('c2');
  });

  it('the switch enables and disables with a PATCH of enabled alone', async () => {
    api.updateChannel.mockResolvedValue({ ...hook, enabled: false });
    mounted = await mountPage('editor');
    await rowOf(mounted, 'c2').find('[data-test="channel-enabled"]').trigger('click');
    await flushPromises();
    expect(api.updateChannel).toHaveBeenCalledWith('c2', { enabled: false });
  });
});

// Mounting the dialog with its teleported form takes seconds in happy-dom on a busy machine.
describe('channel editor', { timeout: 20_000 }, () => {
  it('shows stored secrets as their masks, never as values, and an untouched save sends none', async () => {
    api.updateChannel.mockResolvedValue(hook);
    mounted = await mountPage('editor');
    await rowOf(mounted, 'c2').find('[data-test="channel-edit"]').trigger('click');
    await flushPromises();
    expect(inBody('[data-test="channel-secret-field"]')?.getAttribute('data-state')).toBe('kept');
    expect(inputIn('channel-secret').value).toBe('');
    expect(inputIn('channel-secret').placeholder).toBe('••••2345');
    expect(inputIn('channel-url').placeholder).toBe('https://hooks.example.com/••••hook');
    await click(inBody('[data-test="channel-save"]'));
    expect(api.updateChannel).toHaveBeenCalledWith('c2', { name: 'Ops hook', enabled: true, language: null, config: { headers: { 'X-Token': '••••' } } });
  });

  it('a new URL turns the kept secrets into required ones, with the reason; saving waits for them', async () => {
    api.updateChannel.mockResolvedValue(hook);
    mounted = await mountPage('editor');
    await rowOf(mounted, 'c2').find('[data-test="channel-edit"]').trigger('click');
    await flushPromises();
    await type('channel-url', 'https://new.example.com/hook');
    expect(inBody('[data-test="channel-secret-field"]')?.getAttribute('data-state')).toBe('reentry');
    expect(inBody('[data-test="channel-secret-reentry"]')?.textContent).toMatch(/destination changed: enter the secret again/);
    await click(inBody('[data-test="channel-save"]'));
    expect(api.updateChannel).not.toHaveBeenCalled();
    expect(inBody('[data-field="channel-secret"] .el-form-item__error')?.textContent).toMatch(/enter this secret again or remove it/);
    await type('channel-secret', 'whsec-2');
    await type('channel-header-value', 'tok-2');
    await click(inBody('[data-test="channel-save"]'));
    expect(api.updateChannel).toHaveBeenCalledWith('c2', expect.objectContaining({
      config: { url: 'https://new.example.com/hook', secret: 'whsec-2', headers: { 'X-Token': 'tok-2' } },
    }));
  });

  it('the server’s 400 for a secret not sent again stands at that field', async () => {
    api.updateChannel.mockRejectedValue(new ApiError(400, 'bad_request', 'invalid webhook channel settings', {
      errors: [{ path: '/secret', message: 'the destination changed: send the secret again or clear it' }],
    }));
    mounted = await mountPage('editor');
    await rowOf(mounted, 'c2').find('[data-test="channel-edit"]').trigger('click');
    await flushPromises();
    await type('channel-name', 'Renamed');
    await click(inBody('[data-test="channel-save"]'));
    expect(inBody('[data-field="channel-secret"] .el-form-item__error')?.textContent).toBe('the destination changed: send the secret again or clear it');
    expect(inBody('[data-test="channel-dialog"]')).not.toBeNull();
  });

  it('creates a channel of the chosen type with only what was filled in', async () => {
    api.createChannel.mockResolvedValue(buildChannel({ id: 'c9', name: 'Robot' }));
    mounted = await mountPage('editor');
    await mounted.find('[data-test="channel-new"]').trigger('click');
    await flushPromises();
    await click(inBody('[data-test="channel-save"]'));
    expect(inBody('[data-test="channel-dialog"]')?.textContent).toContain('Required');
    await type('channel-name', 'Robot');
    await type('channel-url', 'https://oapi.dingtalk.com/robot/send?access_token=t');
    await type('channel-secret', 'abc');
    expect(inBody('[data-test="channel-secret-warning"]')?.textContent).toMatch(/start with SEC/);
    await type('channel-secret', 'SECabc');
    expect(inBody('[data-test="channel-secret-warning"]')).toBeNull();
    await click(inBody('[data-test="channel-save"]'));
    expect(api.createChannel).toHaveBeenCalledWith({
      name: 'Robot', type: 'dingtalk', enabled: true, language: null, config: { url: 'https://oapi.dingtalk.com/robot/send?access_token=t', secret: 'SECabc' },
    });
  });
});
