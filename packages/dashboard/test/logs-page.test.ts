import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { RouterView, createMemoryHistory, createRouter, type Router } from 'vue-router';
import ElementPlus from 'element-plus';
import { defineComponent, h } from 'vue';
import { createAppI18n } from '../src/i18n';
import { ApiError } from '../src/api/http';
import type { Analysis, LogEntry, LogPage, LogQuery } from '../src/api/logs';
import { usePrefs } from '../src/stores/prefs';

vi.mock('../src/api/logs', () => ({ listLogs: vi.fn(), getLog: vi.fn(), listServices: vi.fn() }));
vi.mock('../src/api/analysis', () => ({ getTemplate: vi.fn() }));
const api = await import('../src/api/logs');
const analysisApi = await import('../src/api/analysis');
const { default: LogsPage } = await import('../src/pages/LogsPage.vue');
const { default: LogPage } = await import('../src/pages/LogPage.vue');

// Unmounted after each test: a page left mounted keeps polling and listening.
enableAutoUnmount(afterEach);

function buildLog(id: number, over: Partial<LogEntry> = {}): LogEntry {
  const ts = new Date(Date.parse('2026-12-01T12:00:00Z') - (10_000 - id) * 1000).toISOString().replace('Z', '000Z');
  return {
    id: String(id), timestamp: ts, received_at: ts, level: 'error', service: 'api', message: `line ${id}`, attributes: {},
    event_id: null, analysis: null, analysis_status: 'pending', ...over,
  };
}
const withTemplate = (id: number, template_id: string): LogEntry =>
  buildLog(id, { analysis_status: 'done', analysis: { template_id, source: 'template', is_anomaly: false, anomaly_score: 0.1, severity: 'info', category: 'other', summary: 's', root_cause: 'r', suggestion: 'g', confidence: 0.5, model: 'm', prompt_version: 'v1', demo: false, analysed_at: '2026-12-01T12:00:00Z' } satisfies Analysis });
const page = (logs: LogEntry[], next_cursor: string | null = null): LogPage => ({ logs, next_cursor });
const calls = (): LogQuery[] => vi.mocked(api.listLogs).mock.calls.map((c) => c[0]);
const rowIds = (): string[] => [...document.querySelectorAll('[data-test="logs-row"]')].map((r) => (r as HTMLElement).dataset.id ?? '');

const Blank = () => h('div');
async function mountPage(path: string): Promise<{ router: Router; wrapper: ReturnType<typeof mount> }> {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/logs', name: 'logs', component: LogsPage }, { path: '/logs/:id', name: 'log', component: LogPage, props: true }, { path: '/:rest(.*)*', component: Blank }],
  });
  await router.push(path);
  await router.isReady();
  const App = defineComponent({ render: () => h('div', { style: 'height: 800px' }, [h(RouterView)]) });
  const wrapper = mount(App, { global: { plugins: [router, createAppI18n('en'), ElementPlus] }, attachTo: document.body });
  await flushPromises();
  return { router, wrapper };
}
async function poll(): Promise<void> {
  usePrefs().refreshAll();
  await flushPromises();
}

// Mounting Element Plus forms in happy-dom is slow on a busy machine: a generous per-test budget.
describe('LogsPage', { timeout: 30_000 }, () => {
  beforeEach(() => {
    // Only the clock: quick ranges end "now", and the test logs are stamped around 12:00.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-01T12:00:30Z'));
    localStorage.clear();
    setActivePinia(createPinia());
    vi.clearAllMocks();
    vi.mocked(api.listServices).mockResolvedValue([{ name: 'api', first_seen: '', last_seen: '' }]);
    vi.mocked(analysisApi.getTemplate).mockResolvedValue({ id: 'abc', template: 'Disk <*> is <*> full' } as never);
  });
  afterEach(() => void (document.body.innerHTML = ''));

  it('asks for the filters of the URL, template included, and shows the template chip with its text', async () => {
    vi.mocked(api.listLogs).mockResolvedValue(page([withTemplate(9999, 'abc')]));
    await mountPage('/logs?template=abc&level=error&range=1h');
    expect(calls()[0]).toMatchObject({ template: ['abc'], level: ['error'], limit: 200 });
    expect(Date.parse(calls()[0]!.to!) - Date.parse(calls()[0]!.from!)).toBe(3_600_000);
    expect(document.querySelector('[data-test="logs-template-chip"]')?.textContent).toContain('Disk <*> is <*> full');
    expect(vi.mocked(analysisApi.getTemplate).mock.calls[0]?.slice(0, 2)).toEqual(['abc', {}]);
    expect(rowIds()).toEqual(['9999']);
  });

  it('merges a poll on top of the loaded pages and appends older pages with the cursor', async () => {
    vi.mocked(api.listLogs).mockResolvedValueOnce(page([buildLog(9999), buildLog(9998)], 'cur-1'));
    await mountPage('/logs');
    vi.mocked(api.listLogs).mockResolvedValueOnce(page([buildLog(9997), buildLog(9996)], null));
    (document.querySelector('[data-test="logs-load-older"]') as HTMLElement).click();
    await flushPromises();
    expect(calls()[1]).toMatchObject({ cursor: 'cur-1' });
    expect(rowIds()).toEqual(['9999', '9998', '9997', '9996']);
    expect(document.querySelector('[data-test="logs-no-older"]')).not.toBeNull();

    vi.mocked(api.listLogs).mockResolvedValueOnce(page([buildLog(10_001), buildLog(10_000), buildLog(9999)], 'cur-x'));
    await poll();
    expect(calls()[2]?.cursor).toBeUndefined();
    expect(rowIds()).toEqual(['10001', '10000', '9999', '9998', '9997', '9996']);
  });

  it('shows the server\'s refusal of a query as an error', async () => {
    vi.mocked(api.listLogs).mockRejectedValue(new ApiError(400, 'invalid_query', 'the time range spans more than 31 days'));
    await mountPage('/logs?template=abc');
    expect(document.querySelector('[data-state="error"]')?.textContent).toContain('31 days');
  });

  it('removing the template chip changes the URL and starts over without it', async () => {
    vi.mocked(api.listLogs).mockResolvedValue(page([withTemplate(9999, 'abc')]));
    const { router } = await mountPage('/logs?template=abc&level=error');
    (document.querySelector('[data-test="logs-template-chip"] .el-tag__close') as HTMLElement).click();
    await flushPromises();
    expect(router.currentRoute.value.query).toEqual({ level: 'error' });
    expect(calls().at(-1)).toMatchObject({ level: ['error'] });
    expect(calls().at(-1)?.template).toBeUndefined();
  });

  it('searches on Enter: the words go to the URL and to the API, and the list starts over', async () => {
    vi.mocked(api.listLogs).mockResolvedValue(page([buildLog(9999)]));
    const { router, wrapper } = await mountPage('/logs?level=error');
    const input = wrapper.get('input[data-test="logs-search"]');
    await input.setValue('"timed out" -retry');
    expect(calls()).toHaveLength(1); // typing alone sends nothing
    await input.trigger('keyup', { key: 'Enter' });
    await flushPromises();
    expect(router.currentRoute.value.query).toEqual({ level: 'error', q: '"timed out" -retry' });
    expect(calls().at(-1)).toMatchObject({ q: '"timed out" -retry', level: ['error'] });
  });

  it('opens the drawer with the analysis panel on a row click', async () => {
    vi.mocked(api.listLogs).mockResolvedValue(page([buildLog(9999, { message: '<img src=x onerror=alert(1)>' })]));
    await mountPage('/logs');
    (document.querySelector('[data-test="logs-row"]') as HTMLElement).click();
    await flushPromises();
    expect(document.querySelector('[data-test="analysis-panel"]')?.getAttribute('data-id')).toBe('9999');
    expect(document.querySelector('[data-test="log-open-page"]')?.getAttribute('href')).toBe('/logs/9999');
    expect(document.querySelector('img')).toBeNull();
  });

  it('shows the empty state when nothing matches', async () => {
    vi.mocked(api.listLogs).mockResolvedValue(page([]));
    await mountPage('/logs?q=nothing');
    expect(calls()[0]?.q).toBe('nothing');
    expect(document.querySelector('[data-state="empty"]')?.textContent).toContain('No logs match');
  });
});

describe('LogPage', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.clearAllMocks();
  });
  afterEach(() => void (document.body.innerHTML = ''));

  it('shows the panel of one log', async () => {
    vi.mocked(api.getLog).mockResolvedValue(buildLog(42));
    await mountPage('/logs/42');
    expect(vi.mocked(api.getLog).mock.calls[0]?.[0]).toBe('42');
    expect(document.querySelector('[data-test="analysis-panel"]')).not.toBeNull();
    expect(document.querySelector('[data-test="log-back"]')?.getAttribute('href')).toBe('/logs');
  });

  it('says so for an unknown id', async () => {
    vi.mocked(api.getLog).mockRejectedValue(new ApiError(404, 'not_found', 'no log with id 7'));
    await mountPage('/logs/7');
    expect(document.querySelector('[data-test="log-not-found"]')?.textContent).toContain('No log with id 7');
    expect(document.querySelector('[data-test="analysis-panel"]')).toBeNull();
  });
});
