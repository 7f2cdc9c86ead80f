import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import type * as ElementPlusModule from 'element-plus';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter } from 'vue-router';
import type { Component } from 'vue';
import { createAppI18n } from '../src/i18n';
import { useAuth } from '../src/stores/auth';
import { ApiError } from '../src/api/http';
import type { AlertHistoryEntry } from '../src/api/alerts';
import type { LogEntry } from '../src/api/logs';
import AlertActions from '../src/components/alerts/AlertActions.vue';
import AlertHistory from '../src/components/alerts/AlertHistory.vue';
import AlertAnalysis from '../src/components/alerts/AlertAnalysis.vue';
import AlertHeader from '../src/components/alerts/AlertHeader.vue';
import AlertPage from '../src/pages/AlertPage.vue';
import { groupLogsQuery, logsLink, silenceMatchers } from '../src/components/alerts/alertModel';
import { buildAlert } from './factories';

vi.mock('../src/api/alerts', () => ({ listAlerts: vi.fn(), getAlert: vi.fn(), ackAlert: vi.fn(), silenceAlert: vi.fn() }));
vi.mock('../src/api/logs', () => ({ listServices: vi.fn(async () => []), listLogs: vi.fn(), getLog: vi.fn() }));
vi.mock('element-plus', async (importOriginal) => {
  const m = await importOriginal<typeof ElementPlusModule>();
  return { ...m, ElMessage: { success: vi.fn(), error: vi.fn() } };
});
const alertsApi = vi.mocked(await import('../src/api/alerts'));
const logsApi = vi.mocked(await import('../src/api/logs'));
const { ElMessage } = await import('element-plus');

const buildLog = (over: Partial<LogEntry> = {}): LogEntry => ({
  id: '42', timestamp: '2026-12-01T10:00:00.000Z', received_at: '2026-12-01T10:00:00.000Z', level: 'error', service: 'api-gateway',
  message: 'upstream timed out', attributes: {}, event_id: null, analysis: null, analysis_status: 'done', ...over,
});

let mounted: VueWrapper | undefined;
function mountWith(component: Component, props: Record<string, unknown>, role: 'viewer' | 'editor' = 'editor'): VueWrapper {
  const pinia = createPinia();
  setActivePinia(pinia);
  const auth = useAuth();
  auth.user = { kind: 'user', id: 'u1', name: 'alice', role };
  auth.checked = true;
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { render: () => null } }] });
  mounted = mount(component, { props, global: { plugins: [ElementPlus, createAppI18n('en'), pinia, router] } });
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

describe('alert actions', () => {
  it('shows no buttons to a viewer', () => {
    const w = mountWith(AlertActions, { alert: buildAlert() }, 'viewer');
    expect(w.find('[data-test=alert-actions]').exists()).toBe(false);
    expect(w.find('button').exists()).toBe(false);
  });

  it('shows acknowledge and silence to an editor; no acknowledge once acknowledged or resolved', () => {
    const w = mountWith(AlertActions, { alert: buildAlert() });
    expect(w.find('[data-test=alert-ack]').exists()).toBe(true);
    expect(w.find('[data-test=alert-silence]').exists()).toBe(true);
    w.unmount();
    const acked = mountWith(AlertActions, { alert: buildAlert({ acked_at: '2026-12-01T10:06:00Z', acked_by: 'bob' }) });
    expect(acked.find('[data-test=alert-ack]').exists()).toBe(false);
    acked.unmount();
    const resolved = mountWith(AlertActions, { alert: buildAlert({ state: 'resolved' }) });
    expect(resolved.find('[data-test=alert-ack]').exists()).toBe(false);
    expect(resolved.find('[data-test=alert-silence]').exists()).toBe(true);
  });

  it('acknowledges through the API and asks for a refresh', async () => {
    alertsApi.ackAlert.mockResolvedValue(buildAlert({ acked_at: '2026-12-01T10:06:00Z', acked_by: 'alice' }));
    const w = mountWith(AlertActions, { alert: buildAlert() });
    await w.find('[data-test=alert-ack]').trigger('click');
    await flushPromises();
    expect(alertsApi.ackAlert).toHaveBeenCalledWith('7');
    expect(w.emitted('changed')).toHaveLength(1);
    expect(ElMessage.success).toHaveBeenCalledWith('Alert #7 acknowledged');
  });

  it('builds the silence request from the preset and the comment, showing the matchers the server will use', async () => {
    alertsApi.silenceAlert.mockResolvedValue({ id: 's1', matchers: [], starts_at: '', ends_at: '2026-12-02T10:00:00.000Z', comment: '', created_by: 'alice', created_at: '', alert_id: '7', state: 'active' });
    const w = mountWith(AlertActions, { alert: buildAlert() });
    await w.find('[data-test=alert-silence]').trigger('click');
    await flushPromises();
    const matchers = w.findAll('[data-test=silence-matchers] [data-matcher]').map((m) => m.text().replace(/\s+/g, ''));
    expect(matchers).toEqual(['rule_id=r1(Higherrors)', 'service=api-gateway', 'category=network']);
    await w.find('[data-test=silence-preset] input[value="1440"]').setValue(true);
    await w.find('textarea[data-test=silence-comment]').setValue('  deploy in progress ');
    await w.find('[data-test=silence-submit]').trigger('click');
    await flushPromises();
    expect(alertsApi.silenceAlert).toHaveBeenCalledWith('7', { duration_minutes: 1440, comment: 'deploy in progress' });
    expect(w.emitted('changed')).toHaveLength(1);
  });

  it('sends custom minutes without a comment, and shows the server message when it fails', async () => {
    alertsApi.silenceAlert.mockRejectedValue(new ApiError(400, 'bad_request', 'ends_at: must be later than starts_at and than now'));
    const w = mountWith(AlertActions, { alert: buildAlert() });
    await w.find('[data-test=alert-silence]').trigger('click');
    await flushPromises();
    await w.find('[data-test=silence-preset] input[value=custom]').setValue(true);
    await w.find('[data-test=silence-minutes] input').setValue('90');
    await w.find('[data-test=silence-minutes] input').trigger('change');
    await w.find('[data-test=silence-submit]').trigger('click');
    await flushPromises();
    expect(alertsApi.silenceAlert).toHaveBeenCalledWith('7', { duration_minutes: 90 });
    expect(ElMessage.error).toHaveBeenCalledWith('Could not silence: ends_at: must be later than starts_at and than now');
    expect(w.emitted('changed')).toBeUndefined();
  });
});

describe('alert history', () => {
  it('names each event, newest first, with its details as key/value text', () => {
    const history: AlertHistoryEntry[] = [
      { at: '2026-12-01T10:00:02Z', event: 'firing', details: { count: 1, labels: { service: 'api-gateway', category: 'network' } } },
      { at: '2026-12-01T10:00:32Z', event: 'notified', details: { status: 'firing', round: 1, channels: 2 } },
      { at: '2026-12-01T10:03:00Z', event: 'acked', details: { by: 'alice' } },
      { at: '2026-12-01T10:04:00Z', event: 'escalated', details: {} },
    ];
    const w = mountWith(AlertHistory, { history });
    const items = w.findAll('[data-test=history-item]');
    expect(items.map((i) => i.find('[data-test=history-event]').text())).toEqual(['escalated', 'Acknowledged', 'Notified', 'Fired']);
    expect(items[1]!.find('[data-test=history-details]').text()).toBe('by: alice');
    expect(items[2]!.findAll('[data-key]').map((p) => p.text())).toEqual(['status: Firing', 'round: 1', 'channels: 2']);
    expect(items[3]!.find('[data-test=history-details]').text()).toContain('labels: service=api-gateway, category=network');
    expect(items[0]!.find('[data-test=history-details]').exists()).toBe(false);
  });
});

describe('alert detail page', () => {
  it("links an incident rule's alert to its incident, and no other alert", () => {
    const w = mountWith(AlertHeader, { alert: buildAlert({ labels: { incident: 'inc_42', service: 'checkout' } }) });
    expect(w.find('[data-test=alert-incident-link]').attributes('href')).toBe('/incidents/inc_42');
    w.unmount();
    const other = mountWith(AlertHeader, { alert: buildAlert({ labels: { service: 'checkout' } }) });
    expect(other.find('[data-test=alert-incident-link]').exists()).toBe(false);
  });

  it('shows a not-found state for an unknown id', async () => {
    alertsApi.getAlert.mockRejectedValue(new ApiError(404, 'not_found', 'no alert with id 999'));
    const w = mountWith(AlertPage, { id: '999' });
    await flushPromises();
    expect(w.find('[data-test=alert-not-found]').text()).toContain('No alert #999');
    expect(logsApi.listLogs).not.toHaveBeenCalled();
  });

  it("loads the sample log and the group's logs over the alert's range, and links to them in Logs", async () => {
    const alert = buildAlert({ labels: { service: 'api-gateway', template: 't9' } });
    alertsApi.getAlert.mockResolvedValue({ ...alert, history: [] });
    logsApi.getLog.mockResolvedValue(buildLog());
    logsApi.listLogs.mockResolvedValue({ logs: [buildLog({ id: '43' })], next_cursor: null });
    const w = mountWith(AlertPage, { id: '7' });
    await flushPromises();
    await flushPromises();
    expect(logsApi.getLog).toHaveBeenCalledWith('42', expect.anything());
    expect(logsApi.listLogs).toHaveBeenCalledWith(
      { from: '2026-12-01T10:00:00.000Z', to: '2026-12-01T10:05:01.000Z', service: ['api-gateway'], template: ['t9'], limit: 20 },
      expect.anything(),
    );
    expect(w.find('[data-test=alert-sample-log]').attributes('data-id')).toBe('42');
    expect(w.find('[data-test=alert-log-row]').attributes('href')).toBe('/logs/43');
    const href = w.find('[data-test=alert-open-logs]').attributes('href')!;
    expect(href).toContain('/logs?service=api-gateway&template=t9&from=');
  });

  it('renders a hostile summary as text', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const w = mountWith(AlertAnalysis, { alert: buildAlert({ summary: evil, suggestion: evil }) });
    expect(w.find('img').exists()).toBe(false);
    expect(w.find('[data-test=alert-summary]').text()).toBe(evil);
  });
});

describe('alert model', () => {
  it('mirrors the server: rule id plus every label; an alert without a rule matches an empty rule id', () => {
    expect(silenceMatchers({ rule_id: null, labels: { service: 's' } })).toEqual([{ name: 'rule_id', value: '' }, { name: 'service', value: 's' }]);
  });

  it('leaves service and template out when the alert is not grouped by them', () => {
    const a = { labels: { category: 'network' }, first_seen: '2026-12-01T10:00:00Z', last_seen: '2026-12-01T10:00:00Z' };
    expect(groupLogsQuery(a)).toEqual({ from: '2026-12-01T10:00:00Z', to: '2026-12-01T10:00:01.000Z', limit: 20 });
    expect(logsLink(a)).toEqual({ path: '/logs', query: { from: '2026-12-01T10:00:00Z', to: '2026-12-01T10:00:01.000Z' } });
  });
});
