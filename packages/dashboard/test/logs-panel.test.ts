import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter } from 'vue-router';
import ElementPlus from 'element-plus';
import { h, type Component, type DefineComponent } from 'vue';
import { createAppI18n } from '../src/i18n';
import type { Analysis, LogEntry } from '../src/api/logs';
import LogsAnalysisPanel from '../src/components/logs/LogsAnalysisPanel.vue';
import LogsTable from '../src/components/logs/LogsTable.vue';
import { attributeRows } from '../src/components/logs/attributes';
import { buildAnalysis } from './factories';

// Unmounted after each test: a page left mounted keeps polling and listening.
enableAutoUnmount(afterEach);

function buildLog(over: Partial<LogEntry> = {}): LogEntry {
  return {
    id: '42', timestamp: '2026-12-01T12:00:00.123000Z', received_at: '2026-12-01T12:00:00.456000Z', level: 'error', service: 'order-service',
    message: 'Connection to postgres refused', attributes: {}, event_id: 'evt-7', analysis: null, analysis_status: 'pending', ...over,
  };
}
const analysed = (over: Partial<Analysis> = {}): LogEntry => buildLog({ analysis: buildAnalysis(over), analysis_status: 'done' });
const XSS = '<img src=x onerror=alert(1)>';

const Blank = () => h('div');

async function mountWith(component: Component, props: Record<string, unknown>) {
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/logs', name: 'logs', component: Blank }, { path: '/logs/:id', name: 'log', component: Blank }] });
  await router.push('/logs');
  await router.isReady();
  const w = mount(component as DefineComponent<Record<string, unknown>>, { props, global: { plugins: [router, createAppI18n('en'), ElementPlus] }, attachTo: document.body });
  await flushPromises();
  return w;
}

describe('LogsAnalysisPanel', () => {
  beforeEach(() => setActivePinia(createPinia()));
  afterEach(() => void (document.body.innerHTML = ''));

  it('shows a model analysis: the model read this line', async () => {
    const w = await mountWith(LogsAnalysisPanel, { log: analysed() });
    expect(w.get('[data-test="analysis-summary"]').text()).toBe('Database refused connections');
    expect(w.get('[data-test="analysis-root-cause"]').text()).toBe('The primary is down');
    expect(w.get('[data-test="analysis-suggestion"]').text()).toBe('Fail over to the replica');
    const source = w.get('[data-test="analysis-source"]');
    expect(source.attributes('data-source')).toBe('llm');
    expect(source.text()).toContain('The model read this very line');
    expect(w.get('[data-test="analysis-confidence"]').text()).toBe('90%');
    expect(w.get('[data-test="analysis-score"]').text()).toBe('0.82');
    expect(w.get('[data-test="analysis-model"]').text()).toBe('gpt-x');
    expect(w.get('[data-test="analysis-anomaly"]').text()).toContain('0.82');
    expect(w.find('[data-test="analysis-demo"]').exists()).toBe(false);
  });

  it('explains an inherited template verdict, marks the demo stand-in, and links to the template\'s other logs', async () => {
    const w = await mountWith(LogsAnalysisPanel, { log: analysed({ source: 'template', demo: true, model: 'logsage-demo', template_id: 'cc8f' }) });
    const source = w.get('[data-test="analysis-source"]');
    expect(source.attributes('data-source')).toBe('template');
    expect(source.text()).toContain('Template verdict');
    expect(source.text()).toContain('reuses that cached verdict');
    expect(w.get('[data-test="analysis-demo"]').text()).toBe('demo');
    expect(w.get('[data-test="analysis-template-link"]').attributes('href')).toBe('/logs?template=cc8f');
  });

  it('explains a pending analysis', async () => {
    const w = await mountWith(LogsAnalysisPanel, { log: buildLog({ analysis_status: 'pending' }) });
    expect(w.get('[data-test="analysis-pending"]').text()).toContain('Waiting for analysis');
    expect(w.find('[data-test="analysis-summary"]').exists()).toBe(false);
  });

  it('explains a skipped analysis with the log\'s level', async () => {
    const w = await mountWith(LogsAnalysisPanel, { log: buildLog({ level: 'debug', analysis_status: 'skipped' }) });
    const note = w.get('[data-test="analysis-skipped"]');
    expect(note.text()).toContain('Not analysed');
    expect(note.text()).toContain('"debug"');
    expect(w.find('[data-test="analysis-pending"]').exists()).toBe(false);
  });

  it('shows the log itself: times, level, service, event id, message and attributes', async () => {
    const w = await mountWith(LogsAnalysisPanel, { log: buildLog({ attributes: { host: 'db-1', retry: 3, req: { path: '/pay', ok: false } } }) });
    expect(w.get('[data-test="log-service"]').text()).toBe('order-service');
    expect(w.get('[data-test="log-event-id"]').text()).toBe('evt-7');
    expect(w.get('[data-test="log-message"]').text()).toBe('Connection to postgres refused');
    expect(w.get('[data-test="log-timestamp"]').text()).toMatch(/\.123$/);
    const attrs = w.get('[data-test="log-attributes"]');
    expect(attrs.findAll('dt').map((d) => d.text())).toEqual(['host', 'req', 'retry']);
    expect(attrs.findAll('dd')[1]!.text()).toContain('"path": "/pay"');
  });

  it('renders hostile text as text: no element is created from a message, summary or attribute', async () => {
    const log = buildLog({ message: XSS, attributes: { [XSS]: XSS, nested: { x: XSS } }, analysis: buildAnalysis({ summary: XSS, root_cause: XSS }), analysis_status: 'done' });
    const w = await mountWith(LogsAnalysisPanel, { log });
    expect(document.querySelector('img')).toBeNull();
    expect(w.find('img').exists()).toBe(false);
    expect(w.get('[data-test="log-message"]').text()).toBe(XSS);
    expect(w.get('[data-test="analysis-summary"]').text()).toBe(XSS);
  });
});

describe('LogsTable', () => {
  afterEach(() => void (document.body.innerHTML = ''));

  it('renders a window of a long list, and each row\'s message as text', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => buildLog({ id: String(9000 - i), message: i === 0 ? XSS : `line ${i}` }));
    const w = await mountWith(LogsTable, { rows });
    const shown = w.findAll('[data-test="logs-row"]');
    expect(shown.length).toBeGreaterThan(10);
    expect(shown.length).toBeLessThan(60);
    expect(document.querySelector('img')).toBeNull();
    expect(shown[0]!.get('[data-test="logs-row-message"]').text()).toBe(XSS);
  });

  it('shows pending, skipped and analysed rows differently, and opens a row on click', async () => {
    const rows = [analysed(), buildLog({ id: '41', analysis_status: 'pending' }), buildLog({ id: '40', analysis_status: 'skipped' })];
    const w = await mountWith(LogsTable, { rows });
    const cells = w.findAll('[data-test="logs-row-analysis"]');
    expect(cells.map((c) => c.attributes('data-status'))).toEqual(['done', 'pending', 'skipped']);
    expect(cells[0]!.find('[data-test="logs-row-anomaly"]').exists()).toBe(true);
    expect(cells[0]!.get('[data-test="severity-tag"]').attributes('data-severity')).toBe('high');
    expect(cells[1]!.text()).toContain('pending');
    expect(cells[2]!.text()).toContain('skipped');
    await w.findAll('[data-test="logs-row"]')[1]!.trigger('click');
    expect(w.emitted('open')?.[0]?.[0]).toMatchObject({ id: '41' });
  });
});

describe('attributeRows', () => {
  it('sorts keys and formats nested values as JSON, scalars as plain text', () => {
    expect(attributeRows({ b: 'x', a: { k: [1, 2] }, c: null, d: true })).toEqual([
      { key: 'a', value: '{\n  "k": [\n    1,\n    2\n  ]\n}', nested: true },
      { key: 'b', value: 'x', nested: false },
      { key: 'c', value: 'null', nested: false },
      { key: 'd', value: 'true', nested: false },
    ]);
  });
});
