// Factories shared by the dashboard's tests: each test states only the fields it cares about.
import type { Alert } from '../src/api/alerts';
import type { Channel, Delivery } from '../src/api/channels';
import type { Analysis } from '../src/api/logs';
import type { Silence } from '../src/api/silences';
import type { User } from '../src/api/users';
import type { ApiKey } from '../src/api/keys';
import type { AuditEntry } from '../src/api/audit';
import type { UsageDay } from '../src/api/usage';
import type { Rule } from '../src/api/rules';
import type { IncidentDetail } from '../src/api/incidents';

/** Alert #7: rule r1 firing on api-gateway (network), high, three matches, analysed, with sample log 42. */
export function buildAlert(over: Partial<Alert> = {}): Alert {
  return {
    id: '7', rule_id: 'r1', rule_name: 'High errors', fingerprint: 'fp', labels: { service: 'api-gateway', category: 'network' },
    state: 'firing', severity: 'high', count: 3, first_seen: '2026-12-01T10:00:00.000Z', last_seen: '2026-12-01T10:05:00.000Z',
    started_at: '2026-12-01T10:00:02.000Z', last_match_at: '2026-12-01T10:05:00.000Z', resolved_at: null,
    summary: 'upstream timed out', root_cause: 'the backend is down', suggestion: 'restart it', sample_message: 'timed out',
    sample_log_id: '42', demo: false, notifications: 1, last_notified_at: null, silenced_by: null, acked_at: null, acked_by: null,
    ...over,
  };
}

/** A model's own analysis (source llm) of template tpl1: a high-severity database anomaly. */
export function buildAnalysis(over: Partial<Analysis> = {}): Analysis {
  return {
    source: 'llm', is_anomaly: true, anomaly_score: 0.82, severity: 'high', category: 'database', summary: 'Database refused connections',
    root_cause: 'The primary is down', suggestion: 'Fail over to the replica', confidence: 0.9, template_id: 'tpl1', model: 'gpt-x',
    prompt_version: 'v3', demo: false, analysed_at: '2026-12-01T12:00:01.000000Z', ...over,
  };
}

/** Rule r1 as the API shows it: high-or-higher anomalies of checkout, 3 in 10 min per service, server timings, no channel. */
export function buildRule(over: Partial<Rule> = {}): Rule {
  return {
    id: 'r1', kind: 'result', name: 'Checkout errors', description: 'Payment path', enabled: true,
    conditions: { min_severity: 'high', anomaly: true, services: ['checkout'] }, threshold: { count: 3, window_minutes: 10 },
    group_by: ['service'], group_wait_seconds: null, group_interval_seconds: null, repeat_interval_seconds: null,
    resolve_after_minutes: null, notify_resolved: true, channel_ids: [], created_at: '2026-12-01T09:00:00.000Z',
    updated_at: '2026-12-01T09:00:00.000Z', ...over,
  };
}

/** User u2, "bob", an enabled editor created by admin who never signed in. */
export function buildUser(over: Partial<User> = {}): User {
  return { id: 'u2', username: 'bob', role: 'editor', disabled: false, created_at: '2026-12-01T09:00:00.000Z', created_by: 'admin', last_login_at: null, ...over };
}

/** Key k1, "shipper", an unrevoked ingest key created by admin, never used. */
export function buildKey(over: Partial<ApiKey> = {}): ApiKey {
  return { id: 'k1', name: 'shipper', prefix: 'ls_ab12', scopes: ['ingest'], created_at: '2026-12-01T09:00:00.000Z', created_by: 'admin', last_used_at: null, revoked_at: null, ...over };
}

/** Audit entry 10: admin (a user) changed user u2's role by PATCH, answered 200. */
export function buildAuditEntry(over: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: '10', at: '2026-12-01T10:00:00.000Z', actor_kind: 'user', actor_id: 'u1', actor_name: 'admin', action: 'user.update', method: 'PATCH',
    route: '/api/v1/users/:id', target: 'u2', status: 200, ip: '10.0.0.5', details: { username: 'bob', changed: ['role'], role: 'viewer' }, ...over,
  };
}

/** `n` UTC days of LLM usage ending 2026-12-02, oldest first, all zero unless `at` says otherwise (index → counts). */
export function buildUsageDays(n = 14, at: Record<number, Partial<UsageDay>> = {}): UsageDay[] {
  const end = Date.UTC(2026, 11, 2);
  return Array.from({ length: n }, (_, i) => ({
    day: new Date(end - (n - 1 - i) * 86_400_000).toISOString().slice(0, 10),
    calls: 0, prompt_tokens: 0, completion_tokens: 0, reasoning_tokens: 0, models: [], ...at[i],
  }));
}

/** Channel c1: a signed DingTalk robot, as the API shows it (URL and secret masked). */
export function buildChannel(over: Partial<Channel> = {}): Channel {
  return {
    id: 'c1', name: 'SRE group', type: 'dingtalk', enabled: true, language: null,
    config: { url: 'https://oapi.dingtalk.com/••••a1b2', secret: '••••9f3e', atMobiles: ['13800000000'] },
    createdAt: '2026-12-01T09:00:00.000Z', updatedAt: '2026-12-01T09:00:00.000Z', ...over,
  };
}

/** Outbox row 11: alert 7's firing notification, sent to c1 at the first attempt. */
export function buildDelivery(over: Partial<Delivery> = {}): Delivery {
  return {
    id: '11', channelId: 'c1', idempotencyKey: 'alert-7:firing:1', state: 'sent', attempts: 1, nextAttemptAt: '2026-12-01T10:00:00.000Z',
    lastStatus: 200, lastError: null, createdAt: '2026-12-01T10:00:00.000Z', sentAt: '2026-12-01T10:00:01.000Z', alertId: '7',
    ruleName: 'High errors', severity: 'high', status: 'firing', ...over,
  };
}

/** Silence s1: service="payment-api" for an hour from 10:00, made by alice, active. */
export function buildSilence(over: Partial<Silence> = {}): Silence {
  return {
    id: 's1', matchers: [{ name: 'service', value: 'payment-api' }], starts_at: '2026-12-01T10:00:00.000Z', ends_at: '2026-12-01T11:00:00.000Z',
    comment: 'deploy', created_by: 'alice', created_at: '2026-12-01T10:00:00.000Z', alert_id: null, state: 'active', ...over,
  };
}

/** Incident inc_1: open, high, one new error template in payment-api, story written. */
export function buildIncident(over: Partial<IncidentDetail> = {}): IncidentDetail {
  return {
    id: 'inc_1', state: 'open', severity: 'high', title: 'New error template in payment-api', services: ['payment-api'], template_ids: ['tplA'],
    signal_count: 1, opened_at: '2026-12-01T10:00:00.000Z', updated_at: '2026-12-01T10:05:00.000Z', last_signal_at: '2026-12-01T10:04:00.000Z',
    resolved_at: null, story_state: 'written',
    story: {
      title: 'Payments failing', summary: 'payment-api cannot reach its database', timeline: [{ at: '2026-12-01T10:00:00.000Z', text: 'first refused connection' }],
      first_cause: 'the database refused connections', affected_services: ['payment-api'], next_steps: ['check the database', 'fail over'], severity: 'high',
      confidence: 0.8, model: 'Qwen/QwQ-32B', written_at: '2026-12-01T10:01:00.000Z',
    },
    signals: [{
      id: 's1', kind: 'new_template', service: 'payment-api', template_id: 'tplA', template: 'connection to <*> refused', severity: 'high',
      started_at: '2026-12-01T10:00:00.000Z', last_at: '2026-12-01T10:04:00.000Z', ended_at: null, observed: 42, expected: 1, baseline: 'previous 60 minutes',
    }],
    templates: [{ id: 'tplA', template: 'connection to <*> refused', service: 'payment-api', series: [{ minute: '2026-12-01T10:00:00.000Z', count: 42 }] }],
    samples: [{ log_id: '77', ts: '2026-12-01T10:00:01.000Z', service: 'payment-api', level: 'error', message: 'connection to db:5432 refused' }],
    history: [{ at: '2026-12-01T10:00:30.000Z', event: 'opened', detail: { signals: 1 } }],
    ...over,
  };
}
