import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter } from 'vue-router';
import ElementPlus from 'element-plus';
import { defineComponent, h } from 'vue';
import { createAppI18n } from '../src/i18n';
import type { Template } from '../src/api/analysis';
import { filtersFrom, templateQuery } from '../src/composables/useTemplates';
import { splitTemplate } from '../src/components/templates/template-text';
import { SEVERITY_COLORS, verdictColor } from '../src/lib/format';

vi.mock('../src/api/analysis', () => ({ listTemplates: vi.fn() }));
const analysis = await import('../src/api/analysis');
const { default: TemplatesPage } = await import('../src/pages/TemplatesPage.vue');

function buildTemplate(over: Partial<Template> = {}): Template {
  return {
    id: 'a1b2', template: 'Disk <*> is <*> full', sample: 'Disk /var is 97% full', count: 12,
    first_seen: '2026-12-01T10:00:00Z', last_seen: '2026-12-01T11:00:00Z', parameter_dependent: false, verdict: null, ...over,
  };
}

async function mountPage(path = '/templates') {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/templates', component: TemplatesPage }, { path: '/:rest(.*)*', component: defineComponent({ render: () => h('div') }) }],
  });
  await router.push(path);
  await router.isReady();
  const wrapper = mount(TemplatesPage, { global: { plugins: [router, createAppI18n('en'), ElementPlus] }, attachTo: document.body });
  await flushPromises();
  return { wrapper, router };
}
const lastQuery = () => vi.mocked(analysis.listTemplates).mock.calls.at(-1)?.[0];

describe('TemplatesPage', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
    vi.clearAllMocks();
    vi.mocked(analysis.listTemplates).mockResolvedValue({ total: 1, templates: [buildTemplate()] });
  });
  afterEach(() => {
    vi.useRealTimers();
    document.body.innerHTML = '';
  });

  it('asks for the first page by count, with sparklines', async () => {
    await mountPage();
    expect(lastQuery()).toEqual({ order: 'count', limit: 50, offset: 0, q: undefined, sparkline: true });
  });

  it('sends the typed filter after a pause, and puts it in the URL', async () => {
    const { wrapper, router } = await mountPage();
    vi.useFakeTimers();
    await wrapper.get('input[data-test="templates-search"]').setValue('disk');
    expect(lastQuery()?.q).toBeUndefined();
    await vi.advanceTimersByTimeAsync(300);
    vi.useRealTimers();
    await flushPromises();
    expect(router.currentRoute.value.query.q).toBe('disk');
    expect(lastQuery()).toMatchObject({ q: 'disk', offset: 0 });
  });

  it('orders by last seen when asked, starting again from the first page', async () => {
    const { wrapper, router } = await mountPage('/templates?page=3');
    expect(lastQuery()).toMatchObject({ offset: 100 });
    await wrapper.get('[data-test="order-last-seen"] input').setValue(true);
    await flushPromises();
    expect(router.currentRoute.value.query).toMatchObject({ order: 'last_seen' });
    expect(router.currentRoute.value.query.page).toBeUndefined();
    expect(lastQuery()).toMatchObject({ order: 'last_seen', offset: 0 });
  });

  it('links each row to its logs', async () => {
    const { wrapper } = await mountPage();
    expect(wrapper.get('[data-test="template-logs-link"]').attributes('href')).toBe('/logs?template=a1b2');
  });

  it('marks parameters as text, never HTML, and shows the verdict or its stage', async () => {
    vi.mocked(analysis.listTemplates).mockResolvedValue({
      total: 2,
      templates: [
        buildTemplate({ id: 'x', template: '<img src=x onerror=alert(1)> <*>', verdict: { state: 'parked', analysed_at: null, expires_at: null, model: null, demo: false } }),
        buildTemplate({ id: 'y', parameter_dependent: true, verdict: { state: 'done', severity: 'critical', is_anomaly: true, category: 'resource', summary: 'Disk nearly full', analysed_at: null, expires_at: null, model: 'm', demo: true } }),
      ],
    });
    const { wrapper } = await mountPage();
    expect(wrapper.find('img').exists()).toBe(false);
    const rows = wrapper.findAll('[data-test="template-row"]');
    expect(rows[0]?.text()).toContain('<img src=x onerror=alert(1)>');
    expect(rows[0]?.findAll('mark').map((m) => m.text())).toEqual(['<*>']);
    const verdicts = wrapper.findAll('[data-test="verdict"]');
    expect(verdicts[0]?.find('[data-verdict-state="parked"]').text()).toBe('parked');
    expect(verdicts[1]?.get('[data-test="severity"]').attributes('data-severity')).toBe('critical');
    expect(verdicts[1]?.find('[data-test="anomaly"]').exists()).toBe(true);
    expect(verdicts[1]?.get('[data-test="summary"]').text()).toBe('Disk nearly full');
    expect(rows[1]?.find('[data-test="param-dependent"]').exists()).toBe(true);
    expect(rows[0]?.find('[data-test="param-dependent"]').exists()).toBe(false);
  });

  it('shows the filter in the empty message and an error with a retry', async () => {
    vi.mocked(analysis.listTemplates).mockResolvedValueOnce({ total: 0, templates: [] });
    const { wrapper } = await mountPage('/templates?q=nothing');
    expect(wrapper.text()).toContain('No template contains “nothing”');
    vi.mocked(analysis.listTemplates).mockRejectedValueOnce(new Error('database unavailable'));
    const { wrapper: w2 } = await mountPage();
    expect(w2.get('[data-state="error"]').text()).toContain('database unavailable');
  });
});

describe('template filters', () => {
  it('reads the URL defensively', () => {
    expect(filtersFrom({ page: '-2', size: '7', order: 'drop table' })).toEqual({ q: '', order: 'count', page: 1, size: 50 });
    expect(templateQuery(filtersFrom({ page: '2', size: '25', q: ' x ', order: 'last_seen' }))).toEqual({ order: 'last_seen', limit: 25, offset: 25, q: 'x', sparkline: true });
  });

  it('colours a template by its verdict, grey while the model has not answered', () => {
    expect(verdictColor({ state: 'done', severity: 'critical' })).toBe(SEVERITY_COLORS.critical);
    expect(verdictColor({ state: 'parked', severity: 'critical' })).toBe('#8e9aaf');
    expect(verdictColor(null)).toBe('#8e9aaf');
  });

  it('splits a template at its parameters', () => {
    expect(splitTemplate('<*> a <*><*>')).toEqual([
      { text: '<*>', param: true }, { text: ' a ', param: false }, { text: '<*>', param: true }, { text: '<*>', param: true },
    ]);
  });
});
