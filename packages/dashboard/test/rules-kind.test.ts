import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import type * as ElementPlusModule from 'element-plus';
import type * as RulesApi from '../src/api/rules';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter, RouterView } from 'vue-router';
import { createAppI18n } from '../src/i18n';
import { useAuth } from '../src/stores/auth';
import RulePage from '../src/pages/RulePage.vue';
import RulesPage from '../src/pages/RulesPage.vue';
import { bodyFromForm, changedFields, emptyForm, formFromRule, hasNoCondition } from '../src/components/rules/ruleModel';
import { buildRule } from './factories';

vi.mock('../src/api/rules', async (importOriginal) => ({
  ...(await importOriginal<typeof RulesApi>()),
  listRules: vi.fn(), getRule: vi.fn(), createRule: vi.fn(), updateRule: vi.fn(), previewRule: vi.fn(),
}));
vi.mock('../src/api/channels', () => ({ listChannels: vi.fn(async () => []) }));
vi.mock('../src/api/alerts', () => ({ listAlerts: vi.fn(async () => []) }));
vi.mock('../src/api/logs', () => ({ listServices: vi.fn(async () => [{ name: 'payments' }]) }));
vi.mock('../src/api/analysis', () => ({ listTemplates: vi.fn(async () => ({ templates: [], total: 0 })), getTemplate: vi.fn() }));
vi.mock('element-plus', async (importOriginal) => {
  const m = await importOriginal<typeof ElementPlusModule>();
  return { ...m, ElMessage: { success: vi.fn(), error: vi.fn() }, ElMessageBox: { confirm: vi.fn() } };
});
const api = vi.mocked(await import('../src/api/rules'));
// The editor holds some forty Element Plus inputs: one mount takes seconds in happy-dom.
vi.setConfig({ testTimeout: 40_000 });

let mounted: VueWrapper | undefined;
async function mountAt(path: string, locale: 'en' | 'zh-CN' = 'en') {
  const pinia = createPinia();
  setActivePinia(pinia);
  const auth = useAuth();
  auth.user = { kind: 'user', id: 'u1', name: 'alice', role: 'editor' };
  auth.checked = true;
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/rules', component: RulesPage }, { path: '/rules/:id', name: 'rule', component: RulePage, props: true }, { path: '/:p(.*)*', component: { render: () => null } }],
  });
  await router.push(path);
  await router.isReady();
  mounted = mount(defineComponent({ render: () => h(RouterView) }), { global: { plugins: [ElementPlus, createAppI18n(locale), pinia, router] }, attachTo: document.body });
  await flushPromises();
  return { wrapper: mounted, router };
}
const has = (w: VueWrapper, test: string): boolean => w.find(`[data-test="${test}"]`).exists();

beforeEach(() => {
  vi.clearAllMocks();
  localStorage.clear();
});
afterEach(() => {
  mounted?.unmount();
  mounted = undefined;
});

describe('rule kind in the form model', () => {
  it('an incident rule sends only the conditions incidents have; switching back restores the rest', () => {
    const f = emptyForm();
    Object.assign(f.conditions, { min_severity: 'high', anomaly: 'only', categories: ['database'], services: ['payments'], service_pattern: 'pay-*', levels: ['error'], text_contains: 'x', ignore_case: false });
    f.kind = 'incident';
    expect(bodyFromForm(f).kind).toBe('incident');
    expect(bodyFromForm(f).conditions).toEqual({ min_severity: 'high', services: ['payments'], service_pattern: 'pay-*' });
    f.kind = 'result';
    expect(bodyFromForm(f).conditions).toEqual({ min_severity: 'high', anomaly: true, categories: ['database'], services: ['payments'], service_pattern: 'pay-*', levels: ['error'], text_contains: 'x', ignore_case: false });
  });

  it('a rule with only result conditions has no condition as an incident rule', () => {
    const f = emptyForm();
    f.conditions.levels = ['error'];
    expect(hasNoCondition(f.conditions)).toBe(false);
    expect(hasNoCondition(f.conditions, 'incident')).toBe(true);
  });

  it('a stored incident rule round-trips, and a change of kind is a change', () => {
    const rule = buildRule({ kind: 'incident', conditions: { min_severity: 'medium', services: ['payments'] } });
    const before = bodyFromForm(formFromRule(rule));
    expect(before.kind).toBe('incident');
    expect(before.conditions).toEqual({ min_severity: 'medium', services: ['payments'] });
    const f = formFromRule(rule);
    f.kind = 'result';
    expect(changedFields(before, bodyFromForm(f))).toEqual({ kind: 'result' });
  });
});

describe('rule kind in the editor and the list', () => {
  it('hides the result-only conditions, the threshold and the preview for an incident rule, and creates it', async () => {
    api.createRule.mockImplementation(async (body) => buildRule({ ...body, id: 'r9', description: '' }));
    const { wrapper } = await mountAt('/rules/new');
    for (const test of ['rule-anomaly', 'rule-categories', 'rule-levels', 'rule-text-contains', 'rule-threshold-count', 'rule-group-by', 'rule-resolve-after-mode']) expect(has(wrapper, test), test).toBe(true);
    await wrapper.get('[data-test="rule-kind"] input[value=incident]').setValue(true);
    await flushPromises();
    for (const test of ['rule-anomaly', 'rule-categories', 'rule-levels', 'rule-text-contains', 'rule-text-regex', 'rule-threshold-count', 'rule-group-by', 'rule-preview-panel', 'rule-resolve-after-mode']) {
      expect(has(wrapper, test), test).toBe(false);
    }
    for (const test of ['rule-min-severity', 'rule-services', 'rule-service-pattern', 'rule-incident-note', 'rule-preview-incident']) expect(has(wrapper, test), test).toBe(true);
    expect(wrapper.get('[data-test="rule-matches-all"]').text()).toContain('every incident');
    await wrapper.get('[data-test="rule-name"]').setValue('Payment incidents');
    await wrapper.get('[data-test="rule-save"]').trigger('click');
    await flushPromises();
    expect(api.createRule).toHaveBeenCalledWith(expect.objectContaining({ kind: 'incident', name: 'Payment incidents', conditions: {} }));
  });

  it('names each rule’s kind in the list, and an incident rule’s threshold as one alert per incident', async () => {
    api.listRules.mockResolvedValue([buildRule({ id: 'r1' }), buildRule({ id: 'r2', name: 'Incidents', kind: 'incident', conditions: {} })]);
    const { wrapper } = await mountAt('/rules');
    const kinds = wrapper.findAll('[data-test=rule-row-kind]').map((k) => [k.attributes('data-kind'), k.text()]);
    expect(kinds).toEqual([['result', 'Analysed logs'], ['incident', 'Incidents']]);
    const r2 = wrapper.get('[data-test=rule-row][data-id=r2]');
    expect(r2.get('[data-test=rule-row-threshold]').text()).toBe('one alert per incident');
    expect(r2.get('[data-test=rule-row-summary]').text()).toBe('every incident (no condition)');
  });
});
