import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter } from 'vue-router';
import type { Component } from 'vue';
import { createAppI18n } from '../src/i18n';
import { ApiError } from '../src/api/http';
import IncidentStory from '../src/components/incidents/IncidentStory.vue';
import IncidentPage from '../src/pages/IncidentPage.vue';
import { buildIncident } from './factories';

vi.mock('../src/api/incidents', () => ({ listIncidents: vi.fn(), getIncident: vi.fn() }));
const api = vi.mocked(await import('../src/api/incidents'));

let mounted: VueWrapper | undefined;
async function mountWith(component: Component, props: Record<string, unknown>, locale: 'en' | 'zh-CN' = 'en'): Promise<VueWrapper> {
  const pinia = createPinia();
  setActivePinia(pinia);
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { render: () => null } }] });
  await router.push('/');
  await router.isReady();
  mounted = mount(component, { props, global: { plugins: [ElementPlus, createAppI18n(locale), pinia, router], stubs: { ChartCanvas: true } } });
  await flushPromises();
  return mounted;
}

beforeEach(() => {
  vi.clearAllMocks();
  localStorage.clear();
});
afterEach(() => {
  mounted?.unmount();
  mounted = undefined;
});

describe('the incident story card', () => {
  it('shows a written story: summary, first cause, timeline, affected services, next steps, confidence, model', async () => {
    const w = await mountWith(IncidentStory, { incident: buildIncident() });
    expect(w.get('[data-test=incident-story]').attributes('data-state')).toBe('written');
    expect(w.get('[data-test=story-summary]').text()).toBe('payment-api cannot reach its database');
    expect(w.get('[data-test=story-first-cause]').text()).toBe('the database refused connections');
    expect(w.get('[data-test=story-affected]').text()).toBe('payment-api');
    expect(w.findAll('[data-test=story-next-steps] li').map((li) => li.text())).toEqual(['check the database', 'fail over']);
    expect(w.get('[data-test=story-timeline]').text()).toContain('first refused connection');
    expect(w.get('[data-test=story-confidence]').text()).toBe('Confidence 80%');
    expect(w.get('[data-test=story-model]').text()).toContain('Qwen/QwQ-32B');
    expect(w.find('[data-test=story-pending]').exists()).toBe(false);
  });

  it('says the story is pending while it is due, and keeps an earlier story below', async () => {
    const w = await mountWith(IncidentStory, { incident: buildIncident({ story_state: 'due', story: null }) });
    expect(w.get('[data-test=story-pending]').text()).toContain('The model is writing the story');
    expect(w.find('[data-test=story-body]').exists()).toBe(false);
    await w.setProps({ incident: buildIncident({ story_state: 'due' }) });
    expect(w.find('[data-test=story-pending]').exists()).toBe(true);
    expect(w.get('[data-test=story-summary]').text()).toBe('payment-api cannot reach its database');
  });

  it('says the story failed, and that the signals are the evidence; none when none was asked', async () => {
    const w = await mountWith(IncidentStory, { incident: buildIncident({ story_state: 'failed', story: null }) });
    expect(w.get('[data-test=story-failed]').text()).toContain('could not be written');
    expect(w.find('[data-test=story-pending]').exists()).toBe(false);
    await w.setProps({ incident: buildIncident({ story_state: 'none', story: null }) });
    expect(w.find('[data-test=story-failed]').exists()).toBe(false);
    expect(w.get('[data-test=story-none]').text()).toContain('No story was asked');
  });

  it('speaks Chinese', async () => {
    const w = await mountWith(IncidentStory, { incident: buildIncident({ story_state: 'due', story: null }) }, 'zh-CN');
    expect(w.get('[data-test=story-pending]').text()).toContain('模型正在分析本次故障');
  });
});

describe('the incident page', () => {
  it('shows the header, story, chart, signals in words, samples linking to their logs, and history', async () => {
    api.getIncident.mockResolvedValue(buildIncident({ history: [
      { at: '2026-12-01T10:00:30.000Z', event: 'opened', detail: { signals: 1 } },
      { at: '2026-12-01T10:01:00.000Z', event: 'story', detail: { model: 'Qwen/QwQ-32B' } },
    ] }));
    const w = await mountWith(IncidentPage, { id: 'inc_1' });
    expect(api.getIncident).toHaveBeenCalledWith('inc_1', expect.anything());
    expect(w.get('[data-test=incident-title]').text()).toBe('New error template in payment-api');
    expect(w.get('[data-test=incident-header] [data-test=incident-state]').text()).toBe('Open');
    expect(w.get('[data-test=incident-resolved]').text()).toContain('ongoing');
    expect(w.get('[data-test=incident-chart]').attributes('data-lines')).toBe('1');
    const sig = w.get('[data-test=signal-row]');
    expect(sig.get('[data-test=signal-kind]').text()).toBe('New template');
    expect(sig.get('[data-test=signal-observed]').text()).toContain('42');
    expect(sig.get('[data-test=signal-observed]').text()).toContain('×42');
    expect(sig.get('[data-test=signal-ended]').text()).toBe('ongoing');
    expect(w.get('[data-test=sample-link]').attributes('href')).toBe('/logs/77');
    // Newest event first.
    expect(w.findAll('[data-test=incident-history-item]').map((h) => h.attributes('data-event'))).toEqual(['story', 'opened']);
  });

  it('says so when the incident does not exist', async () => {
    api.getIncident.mockRejectedValue(new ApiError(404, 'not_found', 'no incident inc_9'));
    const w = await mountWith(IncidentPage, { id: 'inc_9' });
    expect(w.get('[data-test=incident-not-found]').text()).toContain('No incident inc_9');
  });
});
