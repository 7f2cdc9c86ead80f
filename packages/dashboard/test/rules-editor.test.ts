import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { flushPromises, mount, type DOMWrapper, type VueWrapper } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import type * as ElementPlusModule from 'element-plus';
import type * as RulesApi from '../src/api/rules';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter, RouterView } from 'vue-router';
import { createAppI18n } from '../src/i18n';
import { ApiError } from '../src/api/http';
import { useAuth } from '../src/stores/auth';
import RulePage from '../src/pages/RulePage.vue';
import RuleTemplates from '../src/components/rules/RuleTemplates.vue';
import type { Template } from '../src/api/analysis';
import { buildChannel, buildRule } from './factories';

vi.mock('../src/api/rules', async (importOriginal) => ({
  ...(await importOriginal<typeof RulesApi>()),
  getRule: vi.fn(), createRule: vi.fn(), updateRule: vi.fn(), deleteRule: vi.fn(), previewRule: vi.fn(),
}));
vi.mock('../src/api/channels', () => ({ listChannels: vi.fn() }));
vi.mock('../src/api/logs', () => ({ listServices: vi.fn(async () => [{ name: 'payments' }, { name: 'checkout' }]) }));
vi.mock('../src/api/analysis', () => ({ listTemplates: vi.fn(async () => ({ templates: [], total: 0 })), getTemplate: vi.fn() }));
vi.mock('element-plus', async (importOriginal) => {
  const m = await importOriginal<typeof ElementPlusModule>();
  return { ...m, ElMessage: { success: vi.fn(), error: vi.fn() }, ElMessageBox: { confirm: vi.fn() } };
});
const api = vi.mocked(await import('../src/api/rules'));
const channelsApi = vi.mocked(await import('../src/api/channels'));
// The editor holds some forty Element Plus inputs: one mount takes seconds in happy-dom.
vi.setConfig({ testTimeout: 40_000 });
const { ElMessageBox } = vi.mocked(await import('element-plus'));
const analysis = vi.mocked(await import('../src/api/analysis'));

const CHANNELS = [buildChannel({ id: 'c1', name: 'Ops DingTalk', type: 'dingtalk', enabled: true }), buildChannel({ id: 'c2', name: 'Mail', type: 'email', enabled: false })];
const Shell = defineComponent({ render: () => h(RouterView) });

async function mountEditor(path: string, role: 'viewer' | 'editor' = 'editor') {
  const pinia = createPinia();
  setActivePinia(pinia);
  const auth = useAuth();
  auth.user = { kind: 'user', id: 'u1', name: 'alice', role };
  auth.checked = true;
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/rules/:id', name: 'rule', component: RulePage, props: true },
      { path: '/:p(.*)*', component: { render: () => h('div', { 'data-test': 'elsewhere' }) } },
    ],
  });
  await router.push(path);
  await router.isReady();
  const wrapper = mount(Shell, { global: { plugins: [ElementPlus, createAppI18n('en'), pinia, router] }, attachTo: document.body });
  await flushPromises();
  return { wrapper, router };
}

const el = (w: VueWrapper, test: string): DOMWrapper<Element> => w.find(`[data-test="${test}"]`);
/** Sets an Element Plus select (its component, found by its root's data-test) as a pick would. */
async function pick(w: VueWrapper, test: string, value: unknown): Promise<void> {
  w.findComponent<typeof ElementPlusModule.ElSelect>(`[data-test="${test}"]`).vm.$emit('update:modelValue', value);
  await flushPromises();
}
const errorAt = (w: VueWrapper, field: string) => w.find(`[data-test="rule-field-error"][data-field="${field}"]`);
let mounted: VueWrapper | undefined;

beforeEach(() => {
  vi.clearAllMocks();
  localStorage.clear();
  channelsApi.listChannels.mockResolvedValue(CHANNELS);
});
afterEach(() => {
  mounted?.unmount();
  mounted = undefined;
});

describe('new rule', () => {
  it('creates the rule the form states, then opens it at its own address', async () => {
    api.createRule.mockImplementation(async (body) => buildRule({ ...body, id: 'r9', description: body.description ?? '' }));
    const { wrapper, router } = await mountEditor('/rules/new');
    mounted = wrapper;
    expect(el(wrapper, 'rule-page').attributes('data-mode')).toBe('new');
    expect(el(wrapper, 'rule-matches-all').exists()).toBe(true);
    await el(wrapper, 'rule-name').setValue('  Checkout timeouts ');
    await pick(wrapper, 'rule-min-severity', 'high');
    await wrapper.find('[data-test="rule-anomaly"] input[value=only]').setValue(true);
    await pick(wrapper, 'rule-services', ['checkout', 'typed-by-hand']);
    await pick(wrapper, 'rule-categories', ['network']);
    await wrapper.find('[data-test="rule-levels"] input[value=error]').setValue(true);
    await el(wrapper, 'rule-text-regex').setValue('timed? ?out');
    await el(wrapper, 'rule-service-pattern').setValue('check*');
    await wrapper.find('[data-test="rule-threshold-count"] input').setValue('3');
    await wrapper.find('[data-test="rule-group-wait-mode"] input[value=custom]').setValue(true);
    await pick(wrapper, 'rule-group-wait-unit', 'min'); // 30 s as shipped, now 30 min
    await pick(wrapper, 'rule-channels', ['c1']);
    expect(el(wrapper, 'rule-matches-all').exists()).toBe(false);
    expect(el(wrapper, 'rule-dirty').exists()).toBe(true);
    await el(wrapper, 'rule-save').trigger('click');
    await flushPromises();
    expect(api.createRule).toHaveBeenCalledWith({
      kind: 'result', name: 'Checkout timeouts', description: '', enabled: true,
      conditions: { min_severity: 'high', anomaly: true, categories: ['network'], services: ['checkout', 'typed-by-hand'], service_pattern: 'check*', levels: ['error'], text_regex: 'timed? ?out' },
      threshold: { count: 3, window_minutes: 5 }, group_by: ['service'], group_wait_seconds: 1800, group_interval_seconds: null,
      repeat_interval_seconds: null, resolve_after_minutes: null, notify_resolved: true, channel_ids: ['c1'],
    });
    expect(router.currentRoute.value.fullPath).toBe('/rules/r9'); // no "unsaved changes" question on the way
    expect(ElMessageBox.confirm).not.toHaveBeenCalled();
    expect(api.getRule).not.toHaveBeenCalled(); // the answer is shown as it came
    expect(el(wrapper, 'rule-page').attributes('data-mode')).toBe('edit');
    expect(el(wrapper, 'rule-delete').exists()).toBe(true);
  });

  it('sends nothing while a field breaks a limit, and says so under the field', async () => {
    const { wrapper } = await mountEditor('/rules/new');
    mounted = wrapper;
    await el(wrapper, 'rule-text-contains').setValue('x');
    await el(wrapper, 'rule-save').trigger('click');
    await flushPromises();
    expect(api.createRule).not.toHaveBeenCalled();
    expect(errorAt(wrapper, 'name').text()).toBe('Required');
    expect(el(wrapper, 'rule-form-error').text()).toContain('Some fields need fixing');
    await el(wrapper, 'rule-name').setValue('ok');
    expect(errorAt(wrapper, 'name').exists()).toBe(false); // gone once the field changed
  });

  it('shows the server\'s reason for a refused regular expression under that field, and saves nothing', async () => {
    const reason = 'nested quantifiers such as (a+)+ are refused; repeat a single item instead (at position 4)';
    api.createRule.mockRejectedValue(new ApiError(400, 'bad_request', `conditions.text_regex: ${reason}`, [{ field: 'conditions.text_regex', reason }]));
    const { wrapper, router } = await mountEditor('/rules/new');
    mounted = wrapper;
    await el(wrapper, 'rule-name').setValue('bad');
    await el(wrapper, 'rule-text-regex').setValue('(a+)+');
    await el(wrapper, 'rule-save').trigger('click');
    await flushPromises();
    expect(errorAt(wrapper, 'conditions.text_regex').text()).toBe(reason);
    expect(el(wrapper, 'rule-form-error').exists()).toBe(false);
    expect(router.currentRoute.value.fullPath).toBe('/rules/new');
  });
});

describe('stored rule', () => {
  const stored = buildRule({ id: 'r1', channel_ids: ['c1'], repeat_interval_seconds: 7200, conditions: { min_severity: 'high', anomaly: true, services: ['checkout'], templates: [] } });

  it('shows the rule and sends only what changed', async () => {
    api.getRule.mockResolvedValue(stored);
    api.updateRule.mockImplementation(async (_id, changes) => ({ ...stored, ...changes }));
    const { wrapper } = await mountEditor('/rules/r1');
    mounted = wrapper;
    expect((el(wrapper, 'rule-name').element as HTMLInputElement).value).toBe('Checkout errors');
    expect(el(wrapper, 'rule-repeat-interval').attributes('data-mode')).toBe('custom');
    expect((wrapper.find('[data-test="rule-repeat-interval-amount"] input').element as HTMLInputElement).value).toBe('2');
    expect(el(wrapper, 'rule-group-wait').attributes('data-mode')).toBe('default');
    expect(el(wrapper, 'rule-group-wait-default').text()).toContain('ALERT_GROUP_WAIT_SECONDS');
    expect(el(wrapper, 'rule-save').attributes('disabled')).toBeDefined(); // nothing to save yet
    await el(wrapper, 'rule-name').setValue('Checkout errors (prod)');
    await wrapper.find('[data-test="rule-repeat-interval-mode"] input[value=default]').setValue(true);
    await el(wrapper, 'rule-save').trigger('click');
    await flushPromises();
    expect(api.updateRule).toHaveBeenCalledWith('r1', { name: 'Checkout errors (prod)', repeat_interval_seconds: null });
    expect(el(wrapper, 'rule-dirty').exists()).toBe(false);
  });

  it('asks before leaving with unsaved edits, and stays when told to', async () => {
    api.getRule.mockResolvedValue(stored);
    const { wrapper, router } = await mountEditor('/rules/r1');
    mounted = wrapper;
    await router.push('/alerts'); // no edits: no question
    expect(ElMessageBox.confirm).not.toHaveBeenCalled();
    await router.push('/rules/r1');
    await flushPromises();
    await el(wrapper, 'rule-description').setValue('changed');
    ElMessageBox.confirm.mockRejectedValueOnce('cancel');
    await router.push('/alerts');
    expect(ElMessageBox.confirm).toHaveBeenCalledTimes(1);
    expect(router.currentRoute.value.fullPath).toBe('/rules/r1');
    ElMessageBox.confirm.mockResolvedValueOnce('confirm' as never);
    await router.push('/alerts');
    expect(router.currentRoute.value.fullPath).toBe('/alerts');
  });

  it('deletes after confirmation and returns to the list', async () => {
    api.getRule.mockResolvedValue(stored);
    api.deleteRule.mockResolvedValue();
    ElMessageBox.confirm.mockResolvedValue('confirm' as never);
    const { wrapper, router } = await mountEditor('/rules/r1');
    mounted = wrapper;
    await el(wrapper, 'rule-delete').trigger('click');
    await flushPromises();
    expect(api.deleteRule).toHaveBeenCalledWith('r1');
    expect(router.currentRoute.value.fullPath).toBe('/rules');
  });

  it('gives a viewer the same rule with every input disabled and no save or delete', async () => {
    api.getRule.mockResolvedValue(stored);
    const { wrapper } = await mountEditor('/rules/r1', 'viewer');
    mounted = wrapper;
    expect(el(wrapper, 'rule-readonly').exists()).toBe(true);
    for (const sel of ['rule-save', 'rule-delete', 'rule-actions']) expect(el(wrapper, sel).exists(), sel).toBe(false);
    const inputs = wrapper.findAll('[data-test="rule-form"] input, [data-test="rule-form"] textarea');
    expect(inputs.length).toBeGreaterThan(20);
    expect(inputs.filter((i) => !(i.element as HTMLInputElement).disabled).map((i) => i.attributes('data-test') ?? i.html().slice(0, 80))).toEqual([]);
  });

  it('says so when the rule does not exist', async () => {
    api.getRule.mockRejectedValue(new ApiError(404, 'not_found', 'no rule with id nope'));
    const { wrapper } = await mountEditor('/rules/nope');
    mounted = wrapper;
    expect(el(wrapper, 'rule-not-found').exists()).toBe(true);
  });
});

describe('preview', () => {
  it('shows how often the form would have fired, per group, and when the form changed since', async () => {
    api.previewRule.mockResolvedValue({
      from: '2026-12-01T10:00:00.000Z', to: '2026-12-02T10:00:00.000Z', matched: 7, alerts: 2, truncated: false,
      groups: [{ labels: { service: 'checkout' }, alerts: 2, matches: 6 }, { labels: { service: 'payments' }, alerts: 0, matches: 1 }],
    });
    const { wrapper } = await mountEditor('/rules/new');
    mounted = wrapper;
    await pick(wrapper, 'rule-min-severity', 'critical');
    await el(wrapper, 'rule-preview').trigger('click');
    await flushPromises();
    // No name typed yet: the preview still runs, under a stand-in name.
    expect(api.previewRule).toHaveBeenCalledWith(expect.objectContaining({ name: 'preview', conditions: { min_severity: 'critical' } }));
    const result = el(wrapper, 'rule-preview-result');
    expect(result.attributes('data-alerts')).toBe('2');
    expect(result.find('[data-test="rule-preview-headline"]').text()).toBe('Would have fired 2 times in the last 24 h');
    expect(result.text()).toContain('7 matching results');
    expect(wrapper.findAll('[data-test="rule-preview-group"]').map((g) => g.findAll('td').map((td) => td.text()).join(' '))).toEqual(['service: checkout 2 6', 'service: payments 0 1']);
    expect(el(wrapper, 'rule-preview-stale').exists()).toBe(false);
    await el(wrapper, 'rule-text-contains').setValue('x');
    expect(el(wrapper, 'rule-preview-stale').exists()).toBe(true);

    // Matches that never reach the threshold: "would not have fired", and why.
    api.previewRule.mockResolvedValue({ from: '2026-12-01T10:00:00.000Z', to: '2026-12-02T10:00:00.000Z', matched: 2, alerts: 0, truncated: true, groups: [{ labels: {}, alerts: 0, matches: 2 }] });
    await wrapper.find('[data-test="rule-threshold-count"] input').setValue('5');
    await el(wrapper, 'rule-preview').trigger('click');
    await flushPromises();
    expect(el(wrapper, 'rule-preview-headline').text()).toBe('Would not have fired in the last 24 h');
    expect(el(wrapper, 'rule-preview-below').text()).toContain('5 in 5 min');
    expect(el(wrapper, 'rule-preview-truncated').exists()).toBe(true);
    expect(el(wrapper, 'rule-preview-stale').exists()).toBe(false);
    expect(el(wrapper, 'rule-preview-group').text()).toContain('whole rule');
  });

  it('shows a refusal at the field and in the preview', async () => {
    const reason = 'backreferences (\\1, \\k<name>) are refused (at position 3)';
    api.previewRule.mockRejectedValue(new ApiError(400, 'bad_request', `conditions.text_regex: ${reason}`, [{ field: 'conditions.text_regex', reason }]));
    const { wrapper } = await mountEditor('/rules/new');
    mounted = wrapper;
    await el(wrapper, 'rule-text-regex').setValue('(a)\\1');
    await el(wrapper, 'rule-preview').trigger('click');
    await flushPromises();
    expect(errorAt(wrapper, 'conditions.text_regex').text()).toBe(reason);
    expect(el(wrapper, 'rule-preview-error').text()).toContain(reason);
    expect(el(wrapper, 'rule-preview-result').exists()).toBe(false);
  });
});

describe('channels', () => {
  it('offers a link to /channels when none exists', async () => {
    channelsApi.listChannels.mockResolvedValue([]);
    const { wrapper } = await mountEditor('/rules/new');
    mounted = wrapper;
    expect(el(wrapper, 'rule-channels').exists()).toBe(false);
    expect(el(wrapper, 'rule-channels-link').attributes('href')).toBe('/channels');
  });
});

describe('template picker', () => {
  const tpl = (id: string, template: string) => ({ id, template }) as Template;

  it('searches template text, looks a pasted id up directly, and lists each chosen template with its text', async () => {
    analysis.getTemplate.mockImplementation(async (id) => {
      if (id === 'bbbbbbbbbbbbbbbb') return tpl(id, 'disk <*> is full');
      if (id === '0123456789abcdef') return tpl(id, 'worker <*> killed');
      throw new ApiError(404, 'not_found', 'no template');
    });
    analysis.listTemplates.mockResolvedValue({ templates: [tpl('aaaaaaaaaaaaaaaa', 'upstream timed out after <*> s')], total: 1 });
    const wrapper = mount(RuleTemplates, {
      props: { modelValue: ['bbbbbbbbbbbbbbbb', 'cccccccccccccccc'] },
      global: { plugins: [ElementPlus, createAppI18n('en')] },
    });
    mounted = wrapper;
    await flushPromises();
    const items = wrapper.findAll('[data-test="rule-template-item"]');
    expect(items.map((i) => i.attributes('data-id'))).toEqual(['bbbbbbbbbbbbbbbb', 'cccccccccccccccc']);
    expect(items[0]!.text()).toContain('disk <*> is full');
    expect(items[1]!.text()).toContain('unknown template');

    const remote = wrapper.findComponent({ name: 'ElSelect' }).props('remoteMethod') as (q: string) => Promise<void>;
    await remote('timed out');
    expect(analysis.listTemplates).toHaveBeenLastCalledWith({ q: 'timed out', limit: 20, order: 'count' });
    await remote('0123456789ABCDEF');
    expect(analysis.getTemplate).toHaveBeenLastCalledWith('0123456789abcdef');
  });
});
