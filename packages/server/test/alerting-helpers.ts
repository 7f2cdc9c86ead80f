import { pino } from 'pino';
import type { Queryable } from '../src/db/types.js';
import { createAlertEngine, type AlertEngine } from '../src/modules/alerting/index.js';
import type { TestServer } from './helpers.js';

export interface ResultSpec {
  ts: string;
  service: string;
  level: string;
  message: string;
  template_id: string;
  is_anomaly: boolean;
  severity: string;
  category: string;
  summary: string;
}

/** Stores one log and its analysis result, stating only what a test cares about. */
export async function buildResult(db: Queryable, over: Partial<ResultSpec> = {}): Promise<void> {
  const r: ResultSpec = {
    ts: new Date().toISOString(), service: 'api', level: 'error', message: 'Database connection failed: timeout after 30s',
    template_id: 'tpl-db', is_anomaly: true, severity: 'high', category: 'database', summary: 'database unreachable', ...over,
  };
  await db.query(
    `WITH l AS (INSERT INTO logs (ts, level, service, message) VALUES ($1::timestamptz, $2, $3, $4) RETURNING id, ts)
     INSERT INTO analysis_results (log_id, ts, service, level, template_id, verdict_key, source, is_anomaly, anomaly_score, severity,
       category, summary, root_cause, suggestion, confidence, model, prompt_version)
     SELECT id, ts, $3, $2, $5, $5, 'llm', $6, 0.9, $7, $8, $9, 'the pool is exhausted', 'raise the pool size', 0.8, 'test-model', 'v1' FROM l`,
    [r.ts, r.level, r.service, r.message, r.template_id, r.is_anomaly, r.severity, r.category, r.summary],
  );
}

/** A notification channel row (delivery is not running in tests: outbox rows stay pending). */
export async function buildChannel(db: Queryable, name = 'ops'): Promise<string> {
  const r = await db.query<{ id: string }>(
    `INSERT INTO notify_channels (name, type, config) VALUES ($1, 'webhook', '{"url":"https://hooks.example.com/x"}'::jsonb) RETURNING id`,
    [name],
  );
  return r.rows[0]!.id;
}

/** Empties the alerting tables and moves the engine's cursor past every stored result. */
export async function resetAlerting(db: Queryable): Promise<void> {
  await db.query('TRUNCATE alert_history, alert_silences, alert_pending, alerts, alert_rules, notify_outbox CASCADE');
  await db.query('UPDATE alert_engine_state SET cursor = (SELECT COALESCE(max(seq), 0) FROM analysis_results), horizon_seq = NULL, horizon_at = NULL');
}

/** Outbox rows, oldest first. */
export async function outbox(db: Queryable): Promise<{ key: string; status: string; count: number; labels: Record<string, string> }[]> {
  const r = await db.query<{ key: string; payload: { status: string; count: number; labels: Record<string, string> } }>(
    'SELECT idempotency_key AS key, payload FROM notify_outbox ORDER BY id',
  );
  return r.rows.map((x) => ({ key: x.key, status: x.payload.status, count: x.payload.count, labels: x.payload.labels }));
}

/** An engine on a clock the test moves by hand. */
export function testEngine(server: TestServer, start: number): { engine: AlertEngine; clock: { now: number }; at(ms: number): Promise<unknown> } {
  const clock = { now: start };
  const engine = createAlertEngine({
    db: server.db,
    log: pino({ level: 'silent' }),
    now: () => clock.now,
    defaults: { groupWaitSeconds: 30, groupIntervalSeconds: 300, repeatIntervalSeconds: 4 * 3600, resolveAfterMinutes: 5 },
  });
  return {
    engine,
    clock,
    async at(ms: number) {
      clock.now = start + ms;
      return engine.runOnce();
    },
  };
}

/** Creates a rule through the API and returns its id. */
export async function createRule(server: TestServer, body: Record<string, unknown>): Promise<string> {
  const res = await server.app.inject({ method: 'POST', url: '/api/v1/rules', payload: { name: 'DB errors', conditions: {}, ...body } });
  if (res.statusCode !== 201) throw new Error(`rule refused: ${res.body}`);
  return res.json<{ id: string }>().id;
}
