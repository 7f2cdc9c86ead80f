// Factories shared by the dashboard's tests: each test states only the fields it cares about.
import type { Alert } from '../src/api/alerts';
import type { Analysis } from '../src/api/logs';

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
