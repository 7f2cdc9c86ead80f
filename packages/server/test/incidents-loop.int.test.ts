import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { AnalysisCallError, type DescribeIncidentRequest } from '@logsage/ai-service';
import { parseConfig } from '../src/config/index.js';
import { budgetSettings, createBudgetGate } from '../src/modules/analysis/index.js';
import { createIncidentLoop, incidentSettings, type IncidentAi } from '../src/modules/incidents/index.js';
import { hasPostgres } from './helpers.js';
import { startPipelineServer, testStore, type PipelineServer } from './pipeline-helpers.js';

// The incident loop end to end on PostgreSQL: generated traffic of five services over 160 simulated
// minutes goes through ingest and the assign pass, the worker's own incident loop judges it minute
// by minute on an injected clock, and the ai role writes each story through the LLM stand-in.
// An hour of quiet traffic opens nothing; four planted troubles (a new error template, a burst, a
// cascade across two services, a chatty template going silent) each open one incident naming the
// right services and templates, each gets one story per update, and all resolve once quiet returns.

const MINUTE = 60_000;
// Simulated time runs in the real past (logs are stored in existing partitions), on a whole minute.
const SIM0 = Date.now() - 4 * 3_600_000 - (Date.now() % MINUTE);
const SETTLE_S = 30;
const END = 160;

interface Line { service: string; level: string; message: string; perMinute: (m: number) => number }

const q = (m: number, n: number) => () => n + (m % 3 === 0 ? 1 : 0);
/** What each service logs every minute; the planted troubles switch lines on and off by minute. */
const LINES: Line[] = [
  { service: 'checkout', level: 'info', message: 'GET /api/cart/{a} returned in {b} ms', perMinute: (m) => q(m, 8)() },
  { service: 'checkout', level: 'info', message: 'Payment {a} authorised by gateway', perMinute: () => 4 },
  { service: 'checkout', level: 'warn', message: 'Retrying payment {a} after a slow answer', perMinute: (m) => (m % 2 === 0 ? 1 : 0) },
  { service: 'inventory', level: 'info', message: 'Stock level for sku-{a} is {b}', perMinute: () => 6 },
  { service: 'inventory', level: 'info', message: 'Reserved {a} items for order {b}', perMinute: (m) => q(m, 5)() },
  { service: 'search', level: 'info', message: 'Query {a} answered in {b} ms', perMinute: (m) => (m >= 85 && m <= 87 ? 200 : 10) },
  { service: 'search', level: 'info', message: 'Index shard {a} refreshed', perMinute: () => 2 },
  { service: 'auth', level: 'info', message: 'User {a} logged in from 10.0.0.{b}', perMinute: (m) => q(m, 5)() },
  { service: 'auth', level: 'info', message: 'Token {a} refreshed for session {b}', perMinute: () => 3 },
  { service: 'mailer', level: 'info', message: 'Email notification queued for user {a}', perMinute: (m) => (m >= 120 && m < 128 ? 0 : 20) },
  { service: 'mailer', level: 'info', message: 'SMTP connection {a} reused', perMinute: () => 3 },
  // Planted: a new error template (minute 70), a cascade (inventory at 100, checkout at 101).
  { service: 'checkout', level: 'error', message: 'Payment gateway rejected card ending {a} with code E{b}', perMinute: (m) => (m >= 70 && m <= 72 ? 3 : 0) },
  { service: 'inventory', level: 'error', message: 'Connection to db-{a} refused after 3 retries', perMinute: (m) => (m >= 100 && m <= 103 ? 15 : 0) },
  { service: 'checkout', level: 'error', message: 'Timeout while calling inventory service for order {a}', perMinute: (m) => (m >= 101 && m <= 104 ? 15 : 0) },
];

function traffic(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let m = 0; m < END; m++) {
    for (const [k, line] of LINES.entries()) {
      const n = line.perMinute(m);
      for (let i = 0; i < n; i++) {
        const ts = SIM0 + m * MINUTE + Math.floor(((i + 0.5) * MINUTE) / n);
        const message = line.message.replace('{a}', String(1000 + ((m * 37 + i * 11 + k) % 9000))).replace('{b}', String(3 + ((m + i) % 250)));
        out.push({ timestamp: new Date(ts).toISOString(), level: line.level, service: line.service, message });
      }
    }
  }
  return out;
}

interface IncidentRow {
  id: string; state: string; services: string[]; template_ids: string[]; opened_at: number; resolved_at: number | null;
  stories: number; story_state: string; title: string; signal_count: number;
}

describe.skipIf(!hasPostgres())('incident loop on PostgreSQL', () => {
  let s: PipelineServer;
  let sim = SIM0;
  const rows = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => (await s.running.db.query<T>(sql, params)).rows;
  const incidents = () => rows<IncidentRow>(
    `SELECT id, state, services, template_ids, (extract(epoch from opened_at) * 1000)::float8 AS opened_at,
            (extract(epoch from resolved_at) * 1000)::float8 AS resolved_at, stories, story_state, title, signal_count
       FROM incidents ORDER BY opened_at`);
  const templateId = async (prefix: string): Promise<string> =>
    (await rows<{ id: string }>(`SELECT id FROM log_templates WHERE template LIKE $1`, [`${prefix}%`]))[0]?.id ?? `missing: ${prefix}`;
  const signals = (incidentId: string) => rows<{ kind: string; service: string; template_id: string | null }>(
    `SELECT kind, service, template_id FROM incident_signals WHERE incident_id = $1 ORDER BY started_at, kind`, [incidentId]);
  const storyRequests = () => s.llm.requests().filter((r) => r.prompt === 'incident');

  /** Moves the clock past minute `m`'s settle time and waits until the worker judged it and wrote every due story. */
  async function judgeThrough(m: number): Promise<void> {
    for (let at = Math.round((sim - SIM0) / MINUTE); at <= m; at++) {
      sim = SIM0 + (at + 1) * MINUTE + SETTLE_S * 1000;
      const target = SIM0 + (at + 1) * MINUTE;
      const done = await s.until(async () => {
        const [st] = await rows<{ next: number }>(`SELECT (extract(epoch from next_minute) * 1000)::float8 AS next FROM incident_state`);
        return Number(st?.next ?? 0) >= target && (await s.count('incidents', `story_state = 'due'`)) === 0;
      }, 30_000);
      expect(done, `minute ${at} judged and its stories written`).toBe(true);
    }
  }

  beforeAll(async () => {
    s = await startPipelineServer(await testStore('postgres'), {
      INCIDENT_TICK_MS: '100', INCIDENT_SETTLE_SECONDS: String(SETTLE_S), ANALYSIS_BATCH_SIZE: '20',
    }, { now: () => sim });
    // An incident rule: alerting hears of every incident of high severity, from the loop's transactions.
    const rule = await s.running.app.inject({ method: 'POST', url: '/api/v1/rules', payload: { kind: 'incident', name: 'High incidents', conditions: { min_severity: 'high' } } });
    expect(rule.statusCode).toBe(201);
    const lines = traffic();
    for (let i = 0; i < lines.length; i += 2000) await s.ingest(lines.slice(i, i + 2000));
    const analysed = await s.until(async () => (await s.count('analysis_pending')) === 0 && (await s.count('analysis_results')) === lines.length, 120_000);
    expect(analysed).toBe(true);
  }, 200_000);
  afterAll(() => s?.cleanup());

  it('opens no incident over an hour of quiet traffic', async () => {
    await judgeThrough(69);
    expect(await incidents()).toEqual([]);
    expect(storyRequests()).toHaveLength(0);
  }, 120_000);

  it('opens one incident for a new error template within 2 minutes, naming its service and template', async () => {
    await judgeThrough(72);
    const all = await incidents();
    expect(all).toHaveLength(1);
    const [inc] = all;
    expect(inc!.services).toEqual(['checkout']);
    expect(inc!.template_ids).toContain(await templateId('Payment gateway rejected card ending'));
    expect(inc!.opened_at).toBeLessThanOrEqual(SIM0 + 72 * MINUTE);
    expect((await signals(inc!.id)).map((x) => x.kind)).toContain('new_template');
    expect(inc!.title).not.toBe('');
  }, 120_000);

  it('opens one incident for a burst within 2 minutes, and resolves the first one', async () => {
    await judgeThrough(87);
    const all = await incidents();
    expect(all).toHaveLength(2);
    const burst = all[1]!;
    expect(burst.services).toEqual(['search']);
    expect(burst.opened_at).toBeLessThanOrEqual(SIM0 + 87 * MINUTE);
    const sig = await signals(burst.id);
    expect(sig.map((x) => x.kind)).toContain('rate_spike');
    expect(sig.find((x) => x.kind === 'rate_spike')?.template_id).toBe(await templateId('Query'));
    expect(all[0]!.state).toBe('resolved');
  }, 120_000);

  it('groups a cascade across two services into one incident within 2 minutes, with a story per update', async () => {
    const asked = storyRequests().length;
    await judgeThrough(103);
    const all = await incidents();
    expect(all).toHaveLength(3);
    const cascade = all[2]!;
    expect([...cascade.services].sort()).toEqual(['checkout', 'inventory']);
    expect(cascade.opened_at).toBeLessThanOrEqual(SIM0 + 102 * MINUTE);
    expect(cascade.template_ids).toEqual(expect.arrayContaining([await templateId('Connection to db-'), await templateId('Timeout while calling inventory')]));
    // It opened with one service and grew by another: two stories, each asked for once.
    expect(cascade.stories).toBe(2);
    expect(storyRequests().length - asked).toBe(2);
    expect(await s.count('incident_history', `incident_id = '${cascade.id}' AND event = 'story'`)).toBe(2);
  }, 120_000);

  it('opens one incident within 2 minutes when a chatty template goes silent', async () => {
    await judgeThrough(122);
    const all = await incidents();
    expect(all).toHaveLength(4);
    const silence = all[3]!;
    expect(silence.services).toEqual(['mailer']);
    // 20 lines a minute, then none: the second silent minute (a chance of e^-40) shows the stop.
    expect(silence.opened_at).toBeLessThanOrEqual(SIM0 + 121 * MINUTE);
    const sig = await signals(silence.id);
    expect(sig.map((x) => x.kind)).toContain('rate_drop');
    expect(sig.find((x) => x.kind === 'rate_drop')?.template_id).toBe(await templateId('Email notification queued'));
  }, 120_000);

  it('resolves every incident after quiet, each story written once per update, stored with its usage', async () => {
    await judgeThrough(END - 1);
    const all = await incidents();
    expect(all).toHaveLength(4);
    for (const inc of all) {
      expect(inc.state, inc.title).toBe('resolved');
      expect(inc.story_state).toBe('written');
      expect(inc.stories).toBeGreaterThanOrEqual(1);
      expect(inc.stories).toBeLessThanOrEqual(3);
      expect(await s.count('incident_history', `incident_id = '${inc.id}' AND event = 'story'`)).toBe(inc.stories);
      expect(await s.count('incident_history', `incident_id = '${inc.id}' AND event IN ('opened', 'resolved')`)).toBe(2);
    }
    expect(storyRequests()).toHaveLength(all.reduce((n, i) => n + i.stories, 0));
    const [story] = await rows<{ story: { title: string; first_cause: string; next_steps: string[]; model: string } }>(`SELECT story FROM incidents WHERE id = $1`, [all[0]!.id]);
    expect(story!.story.title).toBe(all[0]!.title);
    expect(story!.story.model).toBe('test-model');
    expect(story!.story.next_steps.length).toBeGreaterThan(0);
    // The high incidents (new template, cascade) had one alert each, resolved with them, with the story's text.
    const alerts = await rows<{ incident: string; state: string; summary: string; root_cause: string; count: string }>(
      `SELECT labels->>'incident' AS incident, state, summary, root_cause, count::text AS count FROM alerts ORDER BY started_at`);
    expect(alerts.map((a) => a.incident)).toEqual([all[0]!.id, all[2]!.id]);
    for (const [i, a] of alerts.entries()) {
      const inc = all[i === 0 ? 0 : 2]!;
      expect(a).toMatchObject({ state: 'resolved', summary: inc.title, count: String(inc.signal_count) });
      expect(a.root_cause).not.toBe('');
    }
    // The stories' calls count in the LLM usage with the analyses' (each request to the stand-in is one call).
    const [used] = await rows<{ calls: string }>(`SELECT coalesce(sum(calls), 0)::text AS calls FROM llm_usage_daily`);
    expect(Number(used!.calls)).toBe(s.llm.requests().length);
  }, 200_000);
});

// The loop's own guarantees, with a stand-in for the ai role that counts calls: two processes judge
// each minute once; a story waits while the daily budget is reached; a failing story is tried 3
// times, then marked failed, and detection goes on.
describe.skipIf(!hasPostgres())('incident loop steps on PostgreSQL', () => {
  let s: PipelineServer;
  const rows = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => (await s.running.db.query<T>(sql, params)).rows;
  const story = { title: 'Workers crash', summary: 's', timeline: [], firstCause: 'a bad deploy', affectedServices: ['api'], nextSteps: ['roll back'], severity: 'high' as const, confidence: 0.8 };

  /** A stand-in ai role: fails while `failing`, else answers one fixed story; counts every call. */
  function fakeAi() {
    const ai = {
      calls: 0,
      failing: true,
      requests: [] as DescribeIncidentRequest[],
      async describeIncident(req: DescribeIncidentRequest) {
        ai.calls++;
        ai.requests.push(req);
        if (ai.failing) throw new AnalysisCallError('unavailable', 'ai role unreachable');
        return { story, model: 'fake-model', usage: { promptTokens: 100, completionTokens: 20, reasoningTokens: 0 }, promptVersion: 'incident-v1', llmCalls: 1, demo: false };
      },
    };
    return ai;
  }
  const loopWith = (ai: IncidentAi, tokens: number, alerts: unknown[] = []) => createIncidentLoop({
    db: s.running.db, ai, log: pino({ level: 'silent' }),
    settings: incidentSettings(parseConfig({ INCIDENT_SETTLE_SECONDS: '30' })),
    budget: createBudgetGate({ db: s.running.db, settings: budgetSettings(parseConfig({ LLM_DAILY_TOKEN_BUDGET: String(tokens) })), now: Date.now, log: { warn: () => undefined } }),
    alert: async (_tx, update) => void alerts.push(update),
  });

  beforeAll(async () => {
    s = await startPipelineServer(await testStore('postgres'), { INCIDENTS_ENABLED: 'false' }, { provider: false });
    const lines: Record<string, unknown>[] = [];
    for (let m = 0; m < 110; m++) {
      for (let i = 0; i < 10; i++) lines.push({ timestamp: new Date(SIM0 + m * MINUTE + i * 5000).toISOString(), level: 'info', service: 'api', message: `Request ${m * 10 + i} served in ${i + 3} ms` });
      if (m === 65 || m === 100) {
        for (let i = 0; i < 3; i++) {
          const message = m === 65 ? `Worker ${i} crashed with signal ${9 + i}` : `Disk sd${i} is full on node ${i + 4}`;
          lines.push({ timestamp: new Date(SIM0 + m * MINUTE + 1000 + i).toISOString(), level: 'error', service: 'api', message });
        }
      }
    }
    await s.ingest(lines);
    expect(await s.until(async () => Number((await rows<{ n: string }>(`SELECT coalesce(sum(count), 0)::text AS n FROM template_counts_minute`))[0]?.n) === lines.length, 60_000)).toBe(true);
  }, 120_000);
  afterAll(() => s?.cleanup());

  it('judges each minute once across two processes, and marks a story failed after 3 attempts without stopping detection', async () => {
    const ai = fakeAi();
    const alerts: unknown[] = [];
    const a = loopWith(ai, 0, alerts);
    const b = loopWith(ai, 0, alerts);
    const t = SIM0 + 66 * MINUTE + 30_000;
    const [ra, rb] = await Promise.all([a.runOnce(t), b.runOnce(t)]);
    // The first start judges the last 10 minutes; whichever process held the lock judged each one.
    expect(ra.minutes + rb.minutes).toBe(10);
    expect(ra.opened.length + rb.opened.length).toBe(1);
    expect(await s.count('incidents')).toBe(1);
    expect(await s.count('incident_history', `event = 'opened'`)).toBe(1);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ state: 'open', services: ['api'], severity: 'high' });
    for (let i = 0; i < 3 && ai.calls < 3; i++) await a.runOnce(t);
    expect(ai.calls).toBe(3);
    const [inc] = await rows<{ id: string; story_state: string; story_attempts: number }>(`SELECT id, story_state, story_attempts FROM incidents`);
    expect(inc).toMatchObject({ story_state: 'failed', story_attempts: 3 });
    expect(await s.count('incident_history', `event = 'story_failed'`)).toBe(1);
    await a.runOnce(t);
    expect(ai.calls).toBe(3);
    // Detection went on: the minutes after the failure are judged, and the incident resolves.
    const r = await a.runOnce(SIM0 + 90 * MINUTE + 30_000);
    expect(r.minutes).toBe(24);
    expect(r.resolved).toEqual([inc!.id]);
  });

  it('holds a due story while the daily budget is reached, then writes it once with its usage', async () => {
    const ai = fakeAi();
    ai.failing = false;
    const day = new Date().toISOString().slice(0, 10);
    await rows(`INSERT INTO llm_usage_daily (day, model, calls, prompt_tokens, completion_tokens) VALUES ($1::date, 'other', 1, 5, 5)`, [day]);
    const held = await loopWith(ai, 10).runOnce(SIM0 + 101 * MINUTE + 30_000);
    expect(held.opened).toHaveLength(1);
    expect(held.stories).toMatchObject({ written: 0, held: 1 });
    expect(ai.calls).toBe(0);
    expect(await s.count('incidents', `story_state = 'due'`)).toBe(1);
    // A raised budget lets it through on the next tick: one call, the story stored, its tokens counted.
    const written = await loopWith(ai, 1000).runOnce(SIM0 + 101 * MINUTE + 40_000);
    expect(written.stories).toMatchObject({ written: 1, held: 0 });
    expect(ai.calls).toBe(1);
    // The evidence: the new template's signal with its lines (still pending: no LLM analysed them).
    const req = ai.requests[0]!;
    expect(req.incidentId).toBe(held.opened[0]);
    expect(req.openedAt).toBe(new Date(SIM0 + 100 * MINUTE).toISOString());
    const fresh = req.signals.find((x) => x.kind === 'new_template');
    expect(fresh).toMatchObject({ service: 'api', observed: 3, startedAt: new Date(SIM0 + 100 * MINUTE).toISOString() });
    expect(fresh!.template).toMatch(/^Disk /);
    expect(fresh!.samples).toHaveLength(3);
    expect(fresh!.samples.every((l) => /^Disk sd\d is full on node \d$/.test(l))).toBe(true);
    const [inc] = await rows<{ title: string; story_state: string; story: { first_cause: string; next_steps: string[]; model: string } }>(
      `SELECT title, story_state, story FROM incidents WHERE id = $1`, [held.opened[0]]);
    expect(inc).toMatchObject({ title: 'Workers crash', story_state: 'written', story: { first_cause: 'a bad deploy', next_steps: ['roll back'], model: 'fake-model' } });
    const [usage] = await rows<{ calls: string; prompt_tokens: string }>(`SELECT calls::text, prompt_tokens::text FROM llm_usage_daily WHERE model = 'fake-model'`);
    expect(usage).toEqual({ calls: '1', prompt_tokens: '100' });
    expect(await s.count('llm_usage_service_daily', `model = 'fake-model' AND service = 'api' AND prompt_tokens = 100`)).toBe(1);
  });

  it('deletes resolved incidents with their signals and history once past the retention window, keeping open ones', async () => {
    const [resolved] = await rows<{ id: string }>(`SELECT id FROM incidents WHERE state = 'resolved'`);
    expect(resolved).toBeDefined();
    const retention = parseConfig({}).RETENTION_DAYS;
    // The tick judges its 60 minutes first (the traffic stops: more incidents open, some resolve), then prunes.
    const r = await loopWith(fakeAi(), 0).runOnce(SIM0 + (retention + 1) * 86_400_000);
    expect(r.minutes).toBe(60);
    expect(r.pruned).toBe(1 + r.resolved.length);
    expect(await s.count('incidents', `id = '${resolved!.id}'`)).toBe(0);
    expect(await s.count('incident_signals', `incident_id = '${resolved!.id}'`)).toBe(0);
    expect(await s.count('incident_history', `incident_id = '${resolved!.id}'`)).toBe(0);
    expect(await s.count('incidents', `state = 'resolved'`)).toBe(0);
    expect(await s.count('incidents')).toBe(1 + r.opened.length - r.resolved.length);
  });
});

// Minute counts are written by the assign pass: a minute whose lines it has not reached yet would
// look silent. The loop waits for it (here no worker runs, so the lines stay unassigned until the
// test marks them assigned).
describe.skipIf(!hasPostgres())('incident loop behind the assign pass', () => {
  let s: PipelineServer;
  beforeAll(async () => {
    s = await startPipelineServer(await testStore('postgres'), { INCIDENTS_ENABLED: 'false' }, { provider: false, roles: ['api'] });
  }, 60_000);
  afterAll(() => s?.cleanup());

  it('judges no minute whose lines still wait for their template, then catches up', async () => {
    const lines = Array.from({ length: 30 }, (_, i) => ({ timestamp: new Date(SIM0 + i * 20_000).toISOString(), level: 'info', service: 'api', message: `Request ${i} served` }));
    await s.ingest(lines);
    const loop = createIncidentLoop({
      db: s.running.db, ai: { describeIncident: () => Promise.reject(new Error('no story expected')) }, log: pino({ level: 'silent' }),
      settings: incidentSettings(parseConfig({ INCIDENT_SETTLE_SECONDS: '30' })),
      budget: createBudgetGate({ db: s.running.db, settings: budgetSettings(parseConfig({})), now: Date.now, log: { warn: () => undefined } }),
      alert: async () => undefined,
    });
    // The first start looks back 10 minutes from SIM0 + 12 min: minutes 2 to 11, the first of which holds unassigned lines.
    const t = SIM0 + 12 * MINUTE + 30_000;
    expect((await loop.runOnce(t)).minutes).toBe(0);
    await s.running.db.query(`UPDATE analysis_pending SET verdict_key = 'assigned' WHERE ts < $1::timestamptz`, [new Date(SIM0 + 6 * MINUTE).toISOString()]);
    // Lines of minutes up to 5 are assigned (they end at minute 9): minutes 2 to 5 are judged, then it waits again.
    expect((await loop.runOnce(t)).minutes).toBe(4);
    await s.running.db.query(`UPDATE analysis_pending SET verdict_key = 'assigned'`);
    expect((await loop.runOnce(t)).minutes).toBe(6);
  });
});
