import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, type PropType } from 'vue';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter } from 'vue-router';
import { createAppI18n } from '../src/i18n';
import { useAuth } from '../src/stores/auth';
import { usePrefs } from '../src/stores/prefs';
import type { AnalysisStatus } from '../src/api/analysis';
import SettingsPage from '../src/pages/SettingsPage.vue';
import { usageOption } from '../src/components/settings/usage-chart';
import { actionKey } from '../src/components/settings/audit-actions';
import { curlLine } from '../src/components/settings/key-curl';
import { buildUsageDays } from './factories';

vi.mock('../src/api/analysis', () => ({ analysisStatus: vi.fn() }));
vi.mock('../src/api/usage', () => ({ getUsage: vi.fn() }));
vi.mock('../src/api/keys', async (orig) => ({ ...(await orig<object>()), listKeys: vi.fn(async () => []) }));
vi.mock('../src/api/users', async (orig) => ({ ...(await orig<object>()), listUsers: vi.fn(async () => []) }));
vi.mock('../src/api/audit', () => ({ listAudit: vi.fn(async () => ({ entries: [], next_before: null })) }));
vi.mock('../src/api/auth', () => ({ changePassword: vi.fn(), me: vi.fn(), login: vi.fn(), logout: vi.fn() }));
const analysisApi = vi.mocked(await import('../src/api/analysis'));
const usageApi = vi.mocked(await import('../src/api/usage'));
const keysApi = vi.mocked(await import('../src/api/keys'));
const authApi = vi.mocked(await import('../src/api/auth'));

// The chart's option is what the test reads: a canvas draws nothing in happy-dom.
const options: unknown[] = [];
const ChartStub = defineComponent({
  props: { option: { type: Object as PropType<Record<string, unknown>>, required: true } },
  setup: (p) => () => (options.push(p.option), h('div', { 'data-test': 'chart' })),
});

function status(over: Partial<AnalysisStatus['llm']> = {}): AnalysisStatus {
  return {
    analysis: { state: 'running', reason: null, queue: 'database' },
    llm: { reachable: true, configured: true, provider: 'openai-compatible', model: 'Qwen/QwQ-32B', circuit: 'closed', circuit_retry_in_ms: 0, last_error: null, demo: false, ...over },
    backlog: { pending_logs: 5, unassigned_logs: 0, open: 1, scheduled: 0, parked: 2, done: 30, oldest_pending_at: null },
    usage_today: { calls: 7, prompt_tokens: 1200, completion_tokens: 300, reasoning_tokens: 40 },
  };
}

let mounted: VueWrapper | undefined;
async function mountAt(url: string, role: 'viewer' | 'editor' | 'admin' = 'admin') {
  const pinia = createPinia();
  setActivePinia(pinia);
  Object.assign(useAuth(), { user: { kind: 'user', id: 'u1', name: 'alice', role }, checked: true });
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/settings/:tab', name: 'settings', component: SettingsPage, props: true }, { path: '/:p(.*)*', component: { render: () => null } }],
  });
  await router.push(url);
  await router.isReady();
  mounted = mount(SettingsPage, { props: { tab: String(router.currentRoute.value.params.tab) }, global: { plugins: [ElementPlus, createAppI18n('en'), pinia, router], stubs: { ChartCanvas: ChartStub } } });
  await flushPromises();
  return { wrapper: mounted, router };
}

beforeEach(() => {
  vi.clearAllMocks();
  options.length = 0;
  localStorage.clear();
  analysisApi.analysisStatus.mockResolvedValue(status());
  usageApi.getUsage.mockResolvedValue(buildUsageDays(14, { 13: { calls: 3, prompt_tokens: 900, completion_tokens: 100, reasoning_tokens: 20, models: ['Qwen/QwQ-32B'] } }));
});
afterEach(() => {
  mounted?.unmount();
  mounted = undefined;
});

describe('settings tabs', () => {
  it('shows every tab to an admin and moves the address when a tab is clicked', async () => {
    const { wrapper, router } = await mountAt('/settings/llm');
    expect(wrapper.findAll('.el-tabs__item').map((x) => x.attributes('id'))).toEqual(['tab-llm', 'tab-keys', 'tab-users', 'tab-audit', 'tab-preferences']);
    await wrapper.find('#tab-keys').trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe('/settings/keys');
  });

  it('hides the admin tabs from an editor, and a direct visit says it needs an admin without asking the API', async () => {
    const { wrapper } = await mountAt('/settings/keys', 'editor');
    expect(wrapper.findAll('.el-tabs__item').map((x) => x.attributes('id'))).toEqual(['tab-llm', 'tab-preferences']);
    expect(wrapper.find('[data-test=settings-needs-admin]').text()).toContain('This tab is for admins');
    expect(keysApi.listKeys).not.toHaveBeenCalled();
  });
});

describe('LLM tab', () => {
  it('shows provider, model, circuit, backlog and today\'s usage, and asks for 14 days of usage', async () => {
    const { wrapper } = await mountAt('/settings/llm');
    expect(wrapper.find('[data-test=llm-model]').text()).toBe('Qwen/QwQ-32B');
    expect(wrapper.find('[data-test=llm-circuit]').text()).toContain('closed (normal)');
    expect(wrapper.find('[data-test=llm-backlog-parked]').text()).toBe('2');
    expect(wrapper.find('[data-test=llm-today-promptTokens]').text()).toContain('1,200');
    expect(usageApi.getUsage).toHaveBeenCalledWith(14, expect.anything());
    expect(wrapper.find('[data-test=llm-usage]').attributes('data-calls')).toBe('3');
    expect(wrapper.find('[data-test=llm-unconfigured]').exists()).toBe(false);
  });

  it('names the variables to set when no provider is configured, and the open circuit with its retry time', async () => {
    analysisApi.analysisStatus.mockResolvedValue(status({ configured: false, reachable: true, provider: null, model: null, circuit: 'open', circuit_retry_in_ms: 12_300, last_error: 'HTTP 429' }));
    const { wrapper } = await mountAt('/settings/llm');
    const help = wrapper.find('[data-test=llm-unconfigured]').text();
    expect(help).toContain('LLM_BASE_URL, LLM_API_KEY, LLM_MODEL');
    expect(help).toContain('SILICONFLOW_API_TOKEN');
    expect(wrapper.find('[data-test=llm-circuit]').text()).toContain('retry in 13 s');
    expect(wrapper.find('[data-test=llm-last-error]').text()).toBe('HTTP 429');
  });

  it('draws tokens as stacked bars and calls on their own axis, one point per day', () => {
    const days = buildUsageDays(14, { 13: { calls: 3, prompt_tokens: 900, completion_tokens: 100 } });
    const names = { calls: 'Calls', prompt: 'P', completion: 'C', reasoning: 'R', reasoningHint: 'h', models: 'M' };
    const o = usageOption(days, names, String) as { xAxis: { data: string[] }; series: { name: string; stack?: string; yAxisIndex?: number; data: number[] }[] };
    expect(o.xAxis.data[0]).toBe('11-19');
    expect(o.xAxis.data.at(-1)).toBe('12-02');
    expect(o.series.map((x) => [x.name, x.stack ?? null, x.yAxisIndex ?? 0])).toEqual([['P', 'tokens', 0], ['C', 'tokens', 0], ['R', null, 0], ['Calls', null, 1]]);
    expect(o.series[3]!.data.at(-1)).toBe(3);
  });
});

describe('preferences tab', () => {
  it('shares the header\'s polling store and sends the own password change, refusing a mismatch first', async () => {
    const { wrapper } = await mountAt('/settings/preferences', 'viewer');
    await wrapper.find('[data-test=prefs-locale] input[value="zh-CN"]').setValue(true);
    expect(usePrefs().locale).toBe('zh-CN');
    await wrapper.find('input[data-test=password-current]').setValue('old-password');
    await wrapper.find('input[data-test=password-next]').setValue('a-new-password-1');
    await wrapper.find('input[data-test=password-again]').setValue('a-new-password-2');
    await wrapper.find('[data-test=password-form]').trigger('submit');
    await flushPromises();
    expect(authApi.changePassword).not.toHaveBeenCalled();
    await wrapper.find('input[data-test=password-again]').setValue('a-new-password-1');
    await wrapper.find('[data-test=password-form]').trigger('submit');
    await flushPromises();
    expect(authApi.changePassword).toHaveBeenCalledWith('old-password', 'a-new-password-1');
  });
});

describe('settings helpers', () => {
  it('reads both shapes of audit action as one key', () => {
    expect(actionKey('rule.update')).toBe('rule.update');
    expect(actionKey('PATCH /api/v1/rules/:id')).toBe('rule.update');
    expect(actionKey('POST /api/v1/alerts/:id/ack')).toBe('alert.ack');
    expect(actionKey('DELETE /api/v1/api-keys/:id')).toBe('api_key.delete');
    expect(actionKey('POST /api/v1/analysis/parked/redrive')).toBe('analysis.redrive');
    expect(actionKey('GET something odd')).toBeNull();
  });

  it('fits the curl line to the key\'s scopes', () => {
    expect(curlLine('https://ls.example', 'K', ['read'])).toBe("curl -H 'Authorization: Bearer K' 'https://ls.example/api/v1/logs?limit=5'");
    expect(curlLine('https://ls.example', 'K', ['ingest'])).toContain("-X POST -H 'Authorization: Bearer K'");
    expect(curlLine('https://ls.example', 'K', ['admin'])).toContain('/api/v1/auth/me');
  });
});
