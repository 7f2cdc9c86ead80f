import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import type * as ElementPlusModule from 'element-plus';
import type * as RulesApi from '../src/api/rules';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter } from 'vue-router';
import { createAppI18n } from '../src/i18n';
import { useAuth } from '../src/stores/auth';
import RulesPage from '../src/pages/RulesPage.vue';
import { findLastFired, RECENT_ALERTS } from '../src/composables/useRuleList';
import { filtersFromQuery, queryFromFilters } from '../src/composables/useAlertFilters';
import { alertQueries } from '../src/composables/useAlertList';
import { buildAlert, buildChannel, buildRule } from './factories';

vi.mock('../src/api/rules', async (importOriginal) => ({
  ...(await importOriginal<typeof RulesApi>()),
  listRules: vi.fn(), setRuleEnabled: vi.fn(), deleteRule: vi.fn(),
}));
vi.mock('../src/api/channels', () => ({ listChannels: vi.fn() }));
vi.mock('../src/api/alerts', () => ({ listAlerts: vi.fn() }));
vi.mock('element-plus', async (importOriginal) => {
  const m = await importOriginal<typeof ElementPlusModule>();
  return { ...m, ElMessage: { success: vi.fn(), error: vi.fn() }, ElMessageBox: { confirm: vi.fn() } };
});
const api = vi.mocked(await import('../src/api/rules'));
const channelsApi = vi.mocked(await import('../src/api/channels'));
const alertsApi = vi.mocked(await import('../src/api/alerts'));
const { ElMessageBox } = vi.mocked(await import('element-plus'));

const CHANNELS = [buildChannel({ id: 'c1', name: 'Ops DingTalk', type: 'dingtalk', enabled: true })];
const RULES = [
  buildRule({ id: 'r1', name: 'Checkout errors', channel_ids: ['c1', 'gone'] }),
  buildRule({
    id: 'r2', name: 'Slow DB', description: '', enabled: false, threshold: { count: 1, window_minutes: 5 }, group_by: [],
    conditions: { categories: ['database', 'custom'], service_pattern: 'db-*', levels: ['warn', 'error'], templates: ['a', 'b'], text_contains: 'slow', text_regex: 'took \\d+ ms', ignore_case: false },
  }),
  buildRule({ id: 'r3', name: 'Everything', conditions: {} }),
];

async function mountPage(role: 'viewer' | 'editor' = 'editor') {
  const pinia = createPinia();
  setActivePinia(pinia);
  const auth = useAuth();
  auth.user = { kind: 'user', id: 'u1', name: 'alice', role };
  auth.checked = true;
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { render: () => null } }] });
  await router.push('/rules');
  await router.isReady();
  const wrapper = mount(RulesPage, { global: { plugins: [ElementPlus, createAppI18n('en'), pinia, router] } });
  await flushPromises();
  return { wrapper, router };
}
const row = (w: VueWrapper, id: string) => w.find(`[data-test=rule-row][data-id=${id}]`);
let mounted: VueWrapper | undefined;

beforeEach(() => {
  vi.clearAllMocks();
  localStorage.clear();
  api.listRules.mockResolvedValue(RULES);
  channelsApi.listChannels.mockResolvedValue(CHANNELS);
  alertsApi.listAlerts.mockResolvedValue([buildAlert({ id: '9', rule_id: 'r1', state: 'firing', started_at: new Date(Date.now() - 120_000).toISOString() })]);
});
afterEach(() => {
  mounted?.unmount();
  mounted = undefined;
});

describe('rules list', () => {
  it('shows each rule with its conditions, threshold, channels and last firing', async () => {
    const { wrapper } = await mountPage();
    mounted = wrapper;
    expect(wrapper.findAll('[data-test=rule-row]').map((r) => r.attributes('data-id'))).toEqual(['r1', 'r2', 'r3']);
    const r1 = row(wrapper, 'r1');
    expect(r1.find('[data-test=rule-row-name]').text()).toBe('Checkout errors');
    expect(r1.find('[data-test=rule-row-name]').attributes('href')).toBe('/rules/r1');
    expect(r1.find('[data-test=rule-row-summary]').text()).toBe('high or higher · anomalies only · service checkout');
    expect(r1.find('[data-test=rule-row-threshold]').text()).toContain('3 in 10 min');
    expect(r1.findAll('[data-test=rule-row-channel]').map((c) => c.text())).toEqual(['Ops DingTalk', 'deleted channel']);
    const fired = r1.find('[data-test=rule-row-last-fired]');
    expect(fired.attributes('data-state')).toBe('firing');
    expect(fired.text()).toContain('2 minutes ago');
    expect(fired.find('[data-test=rule-row-alerts]').attributes('href')).toBe('/alerts?rule=r1&state=all');

    const r2 = row(wrapper, 'r2');
    expect(r2.attributes('data-enabled')).toBe('false');
    expect(r2.find('[data-test=rule-row-summary]').text()).toBe(
      'category database, custom · service like db-* · level warn, error · 2 templates · text contains “slow” · text matches /took \\d+ ms/',
    );
    expect(r2.find('[data-test=rule-row-threshold]').text()).toContain('each match');
    expect(r2.find('[data-test=rule-row-threshold]').text()).toContain('one group for the whole rule');
    expect(r2.find('[data-test=rule-row-channels]').text()).toContain('none');
    // The recent page was not full: a rule absent from it never fired.
    expect(r2.find('[data-test=rule-row-last-fired]').attributes('data-state')).toBe('never');
    expect(row(wrapper, 'r3').find('[data-test=rule-row-summary]').text()).toBe('every analysed log (no condition)');
    expect(alertsApi.listAlerts).toHaveBeenCalledTimes(1);
    expect(wrapper.find('[data-test=rules-new]').exists()).toBe(true);
    expect(wrapper.findAll('[data-test=rule-row-enabled]')).toHaveLength(3);
  });

  it('gives a viewer the state as a tag and no way to change anything', async () => {
    const { wrapper } = await mountPage('viewer');
    mounted = wrapper;
    expect(wrapper.findAll('[data-test=rule-row-state]').map((t) => t.text())).toEqual(['on', 'off', 'on']);
    for (const sel of ['rule-row-enabled', 'rule-row-delete', 'rule-row-edit', 'rules-new']) expect(wrapper.find(`[data-test=${sel}]`).exists(), sel).toBe(false);
    expect(row(wrapper, 'r1').find('[data-test=rule-row-name]').exists()).toBe(true); // the read-only editor is still a link away
  });

  it('explains what a rule is when there is none, and offers an editor to create one', async () => {
    api.listRules.mockResolvedValue([]);
    const { wrapper, router } = await mountPage();
    mounted = wrapper;
    expect(wrapper.find('[data-test=rules-empty]').text()).toContain('A rule watches the analysed logs');
    await wrapper.find('[data-test=rules-empty-new]').trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.path).toBe('/rules/new');
    wrapper.unmount();
    const viewer = await mountPage('viewer');
    mounted = viewer.wrapper;
    expect(viewer.wrapper.find('[data-test=rules-empty-new]').exists()).toBe(false);
    expect(viewer.wrapper.find('[data-test=rules-empty-viewer]').exists()).toBe(true);
  });

  it('turns a rule off and on from its switch', async () => {
    api.setRuleEnabled.mockImplementation(async (id, enabled) => ({ ...RULES.find((r) => r.id === id)!, enabled }));
    const { wrapper } = await mountPage();
    mounted = wrapper;
    await row(wrapper, 'r1').find('[data-test=rule-row-enabled]').trigger('click');
    await flushPromises();
    expect(api.setRuleEnabled).toHaveBeenCalledWith('r1', false);
    expect(row(wrapper, 'r1').attributes('data-enabled')).toBe('false');
    await row(wrapper, 'r2').find('[data-test=rule-row-enabled]').trigger('click');
    await flushPromises();
    expect(api.setRuleEnabled).toHaveBeenLastCalledWith('r2', true);
    expect(row(wrapper, 'r2').attributes('data-enabled')).toBe('true');
  });

  it('deletes a rule only after the confirmation is accepted', async () => {
    const { wrapper } = await mountPage();
    mounted = wrapper;
    ElMessageBox.confirm.mockRejectedValueOnce('cancel');
    await row(wrapper, 'r2').find('[data-test=rule-row-delete]').trigger('click');
    await flushPromises();
    expect(ElMessageBox.confirm).toHaveBeenCalledTimes(1);
    expect(vi.mocked(ElMessageBox.confirm).mock.calls[0]?.[0]).toContain('Delete rule “Slow DB”?');
    expect(api.deleteRule).not.toHaveBeenCalled();

    ElMessageBox.confirm.mockResolvedValueOnce('confirm' as never);
    api.deleteRule.mockResolvedValue();
    api.listRules.mockResolvedValue(RULES.filter((r) => r.id !== 'r2'));
    await row(wrapper, 'r2').find('[data-test=rule-row-delete]').trigger('click');
    await flushPromises();
    expect(api.deleteRule).toHaveBeenCalledWith('r2');
    expect(row(wrapper, 'r2').exists()).toBe(false);
  });
});

describe('when each rule last fired', () => {
  it('maps one page of recent alerts by rule when that page holds every alert', async () => {
    alertsApi.listAlerts.mockResolvedValue([buildAlert({ id: '5', rule_id: 'r1' }), buildAlert({ id: '4', rule_id: 'r1' }), buildAlert({ id: '3', rule_id: 'r3' })]);
    const found = await findLastFired(RULES, new Map());
    expect(found.get('r1')?.id).toBe('5');
    expect(found.get('r3')?.id).toBe('3');
    expect(found.get('r2')).toBeNull();
    expect(alertsApi.listAlerts).toHaveBeenCalledTimes(1);
    expect(alertsApi.listAlerts).toHaveBeenCalledWith({ limit: RECENT_ALERTS }, undefined);
  });

  it('looks up the rules a full page leaves out, one each, once per visit', async () => {
    const full = Array.from({ length: RECENT_ALERTS }, (_, i) => buildAlert({ id: String(1000 - i), rule_id: 'r1' }));
    alertsApi.listAlerts.mockImplementation(async (q) => (q.rule === 'r2' ? [buildAlert({ id: '17', rule_id: 'r2', state: 'resolved' })] : q.rule ? [] : full));
    const cache = new Map();
    const first = await findLastFired(RULES, cache);
    expect(first.get('r1')?.id).toBe('1000');
    expect(first.get('r2')?.id).toBe('17');
    expect(first.get('r3')).toBeNull();
    expect(alertsApi.listAlerts.mock.calls.map((c) => c[0].rule).filter(Boolean).sort()).toEqual(['r2', 'r3']);
    alertsApi.listAlerts.mockClear();
    const again = await findLastFired(RULES, cache);
    expect(again.get('r2')?.id).toBe('17');
    expect(alertsApi.listAlerts).toHaveBeenCalledTimes(1); // the recent page only
  });

  it('leaves the column unknown when alerts cannot be read, without failing the list', async () => {
    alertsApi.listAlerts.mockRejectedValue(new Error('down'));
    expect((await findLastFired(RULES, new Map())).size).toBe(0);
    const { wrapper } = await mountPage();
    mounted = wrapper;
    expect(row(wrapper, 'r1').find('[data-test=rule-row-last-fired]').attributes('data-state')).toBe('unknown');
  });
});

describe('a rule\'s alerts', () => {
  it('the alerts list reads the rule from the address the rules list links to, and asks for that rule only', () => {
    const f = filtersFromQuery({ rule: 'r1', state: 'all' });
    expect(f).toEqual({ state: 'all', severity: '', service: '', rule: 'r1' });
    expect(alertQueries(f)).toEqual([{ state: 'firing', rule: 'r1' }, { state: 'resolved', rule: 'r1' }]);
    expect(queryFromFilters(f)).toEqual({ state: 'all', rule: 'r1' });
    expect(queryFromFilters({ ...f, rule: '' })).toEqual({ state: 'all' });
    expect(filtersFromQuery({})).not.toHaveProperty('rule');
  });
});
