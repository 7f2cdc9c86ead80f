import { beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter } from 'vue-router';
import ElementPlus from 'element-plus';
import { defineComponent, h } from 'vue';
import { createAppI18n } from '../src/i18n';
import { ApiError } from '../src/api/http';

vi.mock('../src/api/stats', () => ({ logStats: vi.fn() }));
vi.mock('../src/api/analysis', () => ({ analysisSummary: vi.fn(), analysisStatus: vi.fn(), listTemplates: vi.fn() }));
vi.mock('../src/api/logs', () => ({ listLogs: vi.fn() }));
vi.mock('../src/api/alerts', () => ({ listAlerts: vi.fn() }));
vi.mock('../src/api/incidents', () => ({ listIncidents: vi.fn() }));

const stats = await import('../src/api/stats');
const analysis = await import('../src/api/analysis');
const logs = await import('../src/api/logs');
const alerts = await import('../src/api/alerts');
const incidents = await import('../src/api/incidents');
const { default: OverviewPage } = await import('../src/pages/OverviewPage.vue');

const now = new Date();
const minute = (i: number): string => new Date(Math.floor(now.getTime() / 900_000) * 900_000 - i * 900_000).toISOString();

function answerAll(): void {
  vi.mocked(stats.logStats).mockResolvedValue({
    from: minute(96), to: minute(-1), bucket_seconds: 900,
    by_level: [{ time: minute(1), key: 'info', count: 40 }, { time: minute(1), key: 'error', count: 2 }], by_service: [],
  });
  vi.mocked(analysis.analysisSummary).mockResolvedValue({
    from: minute(96), to: minute(-1), bucket_seconds: 900, total: 10, anomalies: 3,
    by_severity: [{ key: 'high', count: 3 }, { key: 'info', count: 7 }], by_category: [{ key: 'database', count: 10 }], trend: [],
  });
  vi.mocked(analysis.analysisStatus).mockResolvedValue({
    analysis: { state: 'waiting', reason: 'no LLM provider is configured (set LLM_BASE_URL)', queue: 'database' },
    llm: { reachable: true, configured: false, provider: null, model: null, circuit: 'closed', circuit_retry_in_ms: 0, last_error: null, demo: false },
    backlog: { pending_logs: 12, unassigned_logs: 0, open: 2, scheduled: 1, parked: 4, done: 0, oldest_pending_at: now.toISOString() },
    usage_today: { calls: 0, prompt_tokens: 0, completion_tokens: 0, reasoning_tokens: 0 },
  });
  vi.mocked(analysis.listTemplates).mockResolvedValue({
    total: 1,
    templates: [{
      id: 'tpl1', template: 'Connection to <*> refused', sample: 'Connection to db:5432 refused', count: 42,
      first_seen: now.toISOString(), last_seen: now.toISOString(), parameter_dependent: false,
      verdict: { state: 'done', severity: 'high', category: 'database', analysed_at: null, expires_at: null, model: 'm', demo: false },
      sparkline: { bucket_seconds: 3600, from: now.toISOString(), counts: [1, 2, 3] },
    }],
  });
  vi.mocked(logs.listLogs).mockResolvedValue({ next_cursor: null, logs: [] });
  vi.mocked(alerts.listAlerts).mockResolvedValue([]);
  vi.mocked(incidents.listIncidents).mockResolvedValue({ incidents: [], next: null });
}

async function mountPage() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/', component: OverviewPage }, { path: '/:rest(.*)*', component: defineComponent({ render: () => h('div') }) }],
  });
  await router.push('/');
  await router.isReady();
  const wrapper = mount(OverviewPage, {
    global: { plugins: [router, createAppI18n('en'), ElementPlus], stubs: { ChartCanvas: true } },
  });
  await flushPromises();
  return { wrapper, router };
}

describe('OverviewPage', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
    vi.clearAllMocks();
    answerAll();
  });

  it('shows the error of the one failing route in its own cards while the others render', async () => {
    vi.mocked(analysis.analysisSummary).mockRejectedValue(new ApiError(404, 'not_found', 'no route GET /api/v1/analysis/summary'));
    const { wrapper } = await mountPage();
    for (const card of ['card-trend', 'card-severity', 'card-categories']) {
      const el = wrapper.get(`[data-test="${card}"]`);
      expect(el.find('[data-state="error"]').exists()).toBe(true);
      expect(el.text()).toContain('no route GET /api/v1/analysis/summary');
      // Small cards: one line with the message and a retry link, not the full error block.
      expect(el.find('.el-result').exists()).toBe(false);
      expect(el.get('[data-state="error"] button').text()).toBe('Retry');
    }
    // The anomaly tile is greyed out; the log counts still show.
    expect(wrapper.get('[data-test="tile-anomalies"]').find('[data-state="error"]').exists()).toBe(true);
    expect(wrapper.get('[data-test="tile-logs"]').text()).toContain('42');
    expect(wrapper.get('[data-test="card-levels"]').find('[data-state="error"]').exists()).toBe(false);
    expect(wrapper.get('[data-test="card-levels"]').findComponent({ name: 'ChartCanvas' }).exists()).toBe(true);
    expect(wrapper.get('[data-test="card-templates"]').find('[data-test="top-template"]').exists()).toBe(true);
    expect(wrapper.get('[data-test="card-analysis"]').text()).toContain('no LLM provider is configured');
  });

  it('shows the read replica and its lag when the server reads from one, and nothing without one', async () => {
    const base = await vi.mocked(analysis.analysisStatus).getMockImplementation()!();
    vi.mocked(analysis.analysisStatus).mockResolvedValue({ ...base, replica: { reachable: true, standby: true, lag_seconds: 0.4, last_replay: null, error: null } });
    const { wrapper } = await mountPage();
    expect(wrapper.get('[data-test="replica"]').text()).toContain('reachable');
    expect(wrapper.get('[data-test="replica-lag"]').text()).toBe('0.4 s behind');
    wrapper.unmount();
    vi.mocked(analysis.analysisStatus).mockResolvedValue({ ...base, replica: { reachable: false, standby: null, lag_seconds: null, last_replay: null, error: 'connect ECONNREFUSED' } });
    const down = await mountPage();
    expect(down.wrapper.get('[data-test="replica"]').text()).toContain('unreachable');
    expect(down.wrapper.get('[data-test="replica"]').text()).toContain('ECONNREFUSED');
    expect(down.wrapper.find('[data-test="replica-lag"]').exists()).toBe(false);
    down.wrapper.unmount();
    vi.mocked(analysis.analysisStatus).mockResolvedValue({ ...base, replica: null });
    const none = await mountPage();
    expect(none.wrapper.find('[data-test="replica"]').exists()).toBe(false);
  });

  it('retries only the failing card', async () => {
    vi.mocked(analysis.analysisStatus).mockRejectedValueOnce(new Error('boom'));
    const { wrapper } = await mountPage();
    const card = wrapper.get('[data-test="card-analysis"]');
    expect(card.find('[data-state="error"]').exists()).toBe(true);
    const before = vi.mocked(stats.logStats).mock.calls.length;
    await card.get('[data-state="error"] button').trigger('click');
    await flushPromises();
    expect(analysis.analysisStatus).toHaveBeenCalledTimes(2);
    expect(stats.logStats).toHaveBeenCalledTimes(before);
    expect(wrapper.get('[data-test="backlog-parked"]').text()).toContain('4');
  });

  it('shows each empty card’s own message', async () => {
    const { wrapper } = await mountPage();
    expect(wrapper.get('[data-test="card-anomalies"]').text()).toContain('No anomalies in this range');
    expect(wrapper.get('[data-test="card-alerts"]').text()).toContain('No alerts firing');
    expect(wrapper.get('[data-test="card-incidents"] [data-test="incidents-none"]').text()).toBe('No open incidents');
    expect(wrapper.get('[data-test="incidents-open-count"]').text()).toBe('0');
  });

  it('lists open incidents, counted by the status route when it says, else by the rows', async () => {
    const inc = { id: 'inc_1', state: 'open' as const, severity: 'high' as const, title: 'Error share up in web', services: ['web'], template_ids: [], signal_count: 2,
      opened_at: now.toISOString(), updated_at: now.toISOString(), last_signal_at: now.toISOString(), resolved_at: null, story_state: 'due' as const };
    vi.mocked(incidents.listIncidents).mockResolvedValue({ incidents: [inc], next: 'c1' });
    const { wrapper } = await mountPage();
    expect(incidents.listIncidents).toHaveBeenCalledWith({ state: 'open', limit: 5 }, expect.anything());
    const card = wrapper.get('[data-test="card-incidents"]');
    expect(card.get('[data-test="open-incident"]').attributes('href')).toBe('/incidents/inc_1');
    expect(card.get('[data-test="open-incident"]').text()).toContain('Error share up in web');
    expect(card.get('[data-test="incidents-open-count"]').text()).toBe('1+');
    expect(card.get('[data-test="card-incidents-more"]').attributes('href')).toBe('/incidents');
    const status = await vi.mocked(analysis.analysisStatus).mock.results[0]!.value as object;
    vi.mocked(analysis.analysisStatus).mockResolvedValue({ ...status, incidents: { open: 7 } } as never);
    wrapper.unmount();
    const again = (await mountPage()).wrapper;
    expect(again.get('[data-test="incidents-open-count"]').text()).toBe('7');
    again.unmount();
  });

  it('links top templates to their logs and asks for them with sparklines', async () => {
    const { wrapper } = await mountPage();
    expect(analysis.listTemplates).toHaveBeenCalledWith({ order: 'count', limit: 10, sparkline: true }, expect.anything());
    expect(wrapper.get('[data-test="top-template"]').attributes('href')).toBe('/logs?template=tpl1');
    expect(wrapper.get('[data-test="top-template"] [data-test="sparkline"]').attributes('data-total')).toBe('6');
  });

  it('asks the range-bound routes again, for the new window, when the range changes', async () => {
    const { wrapper, router } = await mountPage();
    const first = vi.mocked(stats.logStats).mock.calls[0]?.[0];
    expect(first?.bucket).toBe(900);
    await router.push('/?range=1h');
    await flushPromises();
    const last = vi.mocked(stats.logStats).mock.calls.at(-1)?.[0];
    expect(last?.bucket).toBe(60);
    expect(Date.parse(last?.to ?? '') - Date.parse(last?.from ?? '')).toBe(3_600_000);
    expect(vi.mocked(analysis.analysisSummary).mock.calls.at(-1)?.[0].bucket).toBe(60);
    expect(vi.mocked(logs.listLogs).mock.calls.at(-1)?.[0]).toMatchObject({ anomaly: true, limit: 10, from: last?.from });
    expect(wrapper.text()).toContain('last hour');
  });
});
