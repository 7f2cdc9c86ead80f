import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import type * as ElementPlusModule from 'element-plus';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter, type Router } from 'vue-router';
import { createAppI18n } from '../src/i18n';
import { useAuth } from '../src/stores/auth';
import { ApiError } from '../src/api/http';
import SilencesPage from '../src/pages/SilencesPage.vue';
import { buildSilence } from './factories';

vi.mock('../src/api/silences', () => ({ listSilences: vi.fn(), createSilence: vi.fn(), expireSilence: vi.fn() }));
vi.mock('element-plus', async (importOriginal) => {
  const m = await importOriginal<typeof ElementPlusModule>();
  return { ...m, ElMessage: { success: vi.fn(), error: vi.fn() }, ElMessageBox: { confirm: vi.fn() } };
});
const api = vi.mocked(await import('../src/api/silences'));
const { ElMessageBox } = vi.mocked(await import('element-plus'));

const active = buildSilence({ id: 's1', alert_id: '7', matchers: [{ name: 'service', value: 'payment-api' }, { name: 'severity', value: 'info|low', is_regex: true, is_equal: false }] });
const pending = buildSilence({ id: 's2', state: 'pending', comment: '' });
const expired = buildSilence({ id: 's3', state: 'expired' });

let router: Router;
async function mountPage(role: 'viewer' | 'editor', url = '/silences') {
  const pinia = createPinia();
  setActivePinia(pinia);
  const auth = useAuth();
  auth.user = { kind: 'user', id: 'u1', name: 'alice', role };
  auth.checked = true;
  router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { render: () => null } }] });
  await router.push(url);
  await router.isReady();
  const wrapper = mount(SilencesPage, { attachTo: document.body, global: { plugins: [ElementPlus, createAppI18n('en'), pinia, router] } });
  await flushPromises();
  return wrapper;
}
const inBody = (sel: string): HTMLElement | null => document.body.querySelector(sel);
const settle = async (): Promise<void> => {
  await flushPromises();
  await new Promise((r) => setTimeout(r, 150)); // Element Plus shows a form item's error after 100 ms
  await flushPromises();
};
let mounted: VueWrapper | undefined;

beforeEach(() => {
  vi.clearAllMocks();
  localStorage.clear();
  api.listSilences.mockImplementation(async (withExpired) => (withExpired ? [active, pending, expired] : [active, pending]));
});
afterEach(() => {
  mounted?.unmount();
  mounted = undefined;
  document.body.innerHTML = '';
});

describe('silences list', { timeout: 20_000 }, () => {
  it('shows active and pending silences with their matchers, origin and author; a viewer gets no control', async () => {
    mounted = await mountPage('viewer');
    expect(api.listSilences).toHaveBeenCalledWith(false, expect.anything());
    const rows = mounted.findAll('[data-test="silence-row"]');
    expect(rows.map((r) => [r.attributes('data-id'), r.attributes('data-state')])).toEqual([['s1', 'active'], ['s2', 'pending']]);
    expect(mounted.findAll('[data-test="silence-matcher"]').slice(0, 2).map((m) => m.text())).toEqual(['service="payment-api"', 'severity!~"info|low"']);
    expect(mounted.find('[data-test="silence-alert"]').attributes('href')).toBe('/alerts/7');
    expect(mounted.text()).toContain('by alice');
    expect(mounted.find('[data-test="silence-new"]').exists()).toBe(false);
    expect(mounted.find('[data-test="silence-expire"]').exists()).toBe(false);
  });

  it('the expired tab lists only expired silences, with no expire button, and is kept in the address', async () => {
    mounted = await mountPage('editor');
    expect(mounted.findAll('[data-test="silence-expire"]')).toHaveLength(2);
    await mounted.find('[data-test="silences-tab"] input[value=expired]').setValue(true);
    await flushPromises();
    expect(router.currentRoute.value.query).toEqual({ tab: 'expired' });
    expect(api.listSilences).toHaveBeenLastCalledWith(true, expect.anything());
    expect(mounted.findAll('[data-test="silence-row"]').map((r) => r.attributes('data-id'))).toEqual(['s3']);
    expect(mounted.find('[data-test="silence-expire"]').exists()).toBe(false);
  });

  it('expires a silence only after the confirmation', async () => {
    ElMessageBox.confirm.mockRejectedValueOnce('cancel').mockResolvedValueOnce('confirm' as never);
    api.expireSilence.mockResolvedValue({ ...active, state: 'expired' });
    mounted = await mountPage('editor');
    await mounted.find('[data-test="silence-expire"]').trigger('click');
    await flushPromises();
    expect(api.expireSilence).not.toHaveBeenCalled();
    await mounted.find('[data-test="silence-expire"]').trigger('click');
    await flushPromises();
    expect(api.expireSilence).toHaveBeenCalledWith('s1');
    expect(api.listSilences).toHaveBeenCalledTimes(2); // reloaded after
  });
});

describe('new silence', { timeout: 20_000 }, () => {
  async function openDialog(): Promise<VueWrapper> {
    const w = await mountPage('editor');
    await w.find('[data-test="silence-new"]').trigger('click');
    await flushPromises();
    return w;
  }
  async function typeValue(i: number, value: string): Promise<void> {
    const el = inBody(`[data-test="silence-matcher-row"][data-index="${i}"] input[data-test="silence-matcher-value"]`) as HTMLInputElement;
    el.value = value;
    el.dispatchEvent(new Event('input'));
    await flushPromises();
  }

  it('sends the matchers and a preset duration, then lists the new silence', async () => {
    api.createSilence.mockResolvedValue(buildSilence({ id: 's9' }));
    mounted = await openDialog();
    await typeValue(0, 'payment-api');
    inBody('[data-test="silence-matcher-add"]')!.click();
    await flushPromises();
    await typeValue(1, 'db-.*');
    expect(inBody('[data-test="silence-matchers-preview"]')?.textContent).toBe('service="payment-api", service="db-.*"');
    (inBody('[data-test="silence-preset"] [data-preset="1440"] input') as HTMLInputElement).click();
    await flushPromises();
    inBody('[data-test="silence-save"]')!.click();
    await settle();
    expect(api.createSilence).toHaveBeenCalledWith({ matchers: [{ name: 'service', value: 'payment-api' }, { name: 'service', value: 'db-.*' }], duration_minutes: 1440 });
    expect(api.listSilences).toHaveBeenCalledTimes(2);
  });

  it('keeps at least one matcher row', async () => {
    mounted = await openDialog();
    expect(inBody('[data-test="silence-matcher-remove"]')?.hasAttribute('disabled')).toBe(true);
  });

  it('shows the server’s refusal at the matchers', async () => {
    api.createSilence.mockRejectedValue(new ApiError(400, 'bad_request', 'matchers: nested quantifiers', [{ field: 'matchers', reason: 'nested quantifiers are not allowed' }]));
    mounted = await openDialog();
    await typeValue(0, 'a');
    inBody('[data-test="silence-save"]')!.click();
    await settle();
    expect(inBody('[data-field="silence-matchers"] .el-form-item__error')?.textContent?.trim()).toBe('nested quantifiers are not allowed');
    expect(inBody('[data-test="silence-create-dialog"]')).not.toBeNull();
  });
});
