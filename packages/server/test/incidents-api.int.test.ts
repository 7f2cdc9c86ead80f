// The incidents API as the dashboard reads it: the list (filters, keyset pages, read access) and one
// incident with its story, signals, per-minute template counts (zeros filled), sample lines and
// history; and the open count in GET /api/v1/status. Incidents are written with the incident loop's
// own repository functions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../src/db/types.js';
import { claimStory, saveStory } from '../src/modules/incidents/repo-story.js';
import { addHistory, saveIncident, saveSignals } from '../src/modules/incidents/repo-state.js';
import type { ActiveSignal, IncidentState } from '../src/modules/incidents/types.js';
import { apiKey, userSession } from './auth-helpers.js';
import { hasPostgres, startTestServer, type TestServer } from './helpers.js';

const M = 60_000;
const H = 60 * M;
const iso = (ms: number): string => new Date(ms).toISOString();

interface Summary { id: string; state: string; services: string[]; title: string; signal_count: number; story_state: string; opened_at: string; resolved_at: string | null }
interface Detail extends Summary {
  story: null | { title: string; first_cause: string; next_steps: string[]; model: string; confidence: number; timeline: { at: string; text: string }[] };
  signals: { id: string; kind: string; template_id: string | null; observed: number; ended_at: string | null }[];
  templates: { id: string; service: string; template: string; series: { minute: string; count: number }[] }[];
  samples: { log_id: string; ts: string; service: string; level: string; message: string }[];
  history: { at: string; event: string; detail: Record<string, unknown> }[];
}

/** An incident's state stating only what a test cares about. */
const incident = (over: Partial<IncidentState> & { id: string; openedMs: number }): IncidentState => ({
  severity: 'high', lastSignalMs: over.openedMs, resolvedMs: null, services: ['payment'], templateIds: [], signalCount: 1,
  storiedSignals: 0, storiedServices: 0, stories: 0, ...over,
});

/** A signal stating only what a test cares about. */
const signal = (over: Partial<ActiveSignal> & { id: string; incidentId: string; startedMs: number }): ActiveSignal => ({
  kind: 'new_template', service: 'payment', templateId: 'tpl-pay', template: 'payment <*> declined', severity: 'high',
  lastMs: over.startedMs, endedMs: null, observed: 12, expected: 0, score: 3, baseline: 'previous 60 minutes', ...over,
});

/** One stored log line of a template: analysed (a result row) or still waiting for its verdict (a pending row). */
async function templateLine(db: Queryable, ts: number, message: string, analysed: boolean, template = 'tpl-pay', service = 'payment'): Promise<string> {
  const log = await db.query<{ id: string }>(
    "INSERT INTO logs (ts, level, service, message) VALUES ($1::timestamptz, 'error', $2, $3) RETURNING id::text AS id", [iso(ts), service, message]);
  const id = log.rows[0]!.id;
  if (analysed) {
    await db.query(
      `INSERT INTO analysis_results (log_id, ts, service, level, template_id, verdict_key, source, is_anomaly, anomaly_score, severity,
         category, summary, root_cause, suggestion, confidence, model, prompt_version)
       VALUES ($1, $2::timestamptz, $3, 'error', $4, $4, 'llm', true, 0.9, 'high', 'payment', 's', 'r', 'x', 0.8, 'm', 'v1')`,
      [id, iso(ts), service, template]);
  } else {
    await db.query('INSERT INTO analysis_pending (log_id, ts, template_id, verdict_key) VALUES ($1, $2::timestamptz, $3, $3)', [id, iso(ts), template]);
  }
  return id;
}

describe.runIf(hasPostgres())('incidents API (postgres)', () => {
  let s: TestServer;
  const T = Math.floor(Date.now() / M) * M;
  const lines: Record<string, string> = {};

  beforeAll(async () => {
    s = await startTestServer('postgres');
    await s.db.transaction(async (tx) => {
      // inc_pay: open, two signals (a new template and the service's error share), a story, history.
      const pay = incident({ id: 'inc_pay', openedMs: T - 20 * M, lastSignalMs: T - 10 * M, templateIds: ['tpl-pay'], signalCount: 2 });
      await saveIncident(tx, { incident: pay, title: 'New error template in payment', storyDue: true, atMs: T - 19 * M });
      await saveSignals(tx, [
        signal({ id: 'sig_new', incidentId: 'inc_pay', startedMs: T - 20 * M, lastMs: T - 10 * M }),
        signal({ id: 'sig_err', incidentId: 'inc_pay', kind: 'error_share', templateId: null, template: '', startedMs: T - 15 * M, observed: 40, expected: 4 }),
      ]);
      await addHistory(tx, 'inc_pay', T - 19 * M, 'opened', { signals: 1 });
      await addHistory(tx, 'inc_pay', T - 14 * M, 'grew', { signals: 2 });
      const claimed = await claimStory(tx, 'inc_pay', T - 13 * M, 60_000);
      if (!claimed) throw new Error('story not claimable');
      await saveStory(tx, claimed, {
        title: 'Card processor rejects payments', summary: 'Payments fail since 10:00.', timeline: [{ at: iso(T - 20 * M), text: 'first decline' }],
        first_cause: 'an expired certificate', affected_services: ['payment'], next_steps: ['renew the certificate'], severity: 'high',
        confidence: 0.7, model: 'stand-in', written_at: iso(T - 13 * M), demo: false,
      }, T - 13 * M);
      await addHistory(tx, 'inc_pay', T - 13 * M, 'story', { model: 'stand-in' });
      // inc_web: resolved two hours ago. inc_db, inc_a, inc_b: open, updated later and later.
      await saveIncident(tx, { incident: incident({ id: 'inc_web', openedMs: T - 3 * H, lastSignalMs: T - 150 * M, resolvedMs: T - 2 * H, services: ['web'] }), title: 'Rate spike in web', storyDue: false, atMs: T - 2 * H });
      await saveSignals(tx, [signal({ id: 'sig_web', incidentId: 'inc_web', kind: 'rate_spike', service: 'web', templateId: 'tpl-web', template: 'GET <*> 200', startedMs: T - 3 * H, endedMs: T - 145 * M })]);
      await saveIncident(tx, { incident: incident({ id: 'inc_db', openedMs: T - 9 * M, services: ['payment', 'db'] }), title: 'Error share up in payment, db', storyDue: false, atMs: T - 8 * M });
      await saveIncident(tx, { incident: incident({ id: 'inc_a', openedMs: T - 7 * M, services: ['auth'] }), title: 'a', storyDue: false, atMs: T - 6 * M });
      await saveIncident(tx, { incident: incident({ id: 'inc_b', openedMs: T - 5 * M, services: ['auth'], severity: 'medium' }), title: 'b', storyDue: false, atMs: T - 4 * M });
      // Per-minute counts of the charted templates.
      await tx.query(
        `INSERT INTO template_counts_minute (minute, template_id, service, count) VALUES
           ($1::timestamptz, 'tpl-pay', 'payment', 5), ($2::timestamptz, 'tpl-pay', 'payment', 7), ($2::timestamptz, 'tpl-pay', 'other', 100),
           ($3::timestamptz, 'tpl-web', 'web', 300)`,
        [iso(T - 20 * M), iso(T - 12 * M), iso(T - 150 * M)]);
    });
    // Four analysed lines and one newer pending line of tpl-pay; a line of the same template in another service.
    for (let i = 0; i < 4; i++) lines[`done${i}`] = await templateLine(s.db, T - (20 - i) * M, `payment ${i} declined`, true);
    lines.pending = await templateLine(s.db, T - 11 * M, 'payment 9 declined', false);
    lines.other = await templateLine(s.db, T - 10 * M, 'payment 8 declined', true, 'tpl-pay', 'other');
  });
  afterAll(async () => {
    await s?.cleanup();
  });

  const get = async <B>(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: B }> => {
    const res = await s.app.inject({ url, headers });
    return { status: res.statusCode, body: res.json<B>() };
  };
  const ids = (r: { body: { incidents: Summary[] } }): string[] => r.body.incidents.map((i) => i.id);

  it('lists incidents newest updated first, filtered by state and service, to viewers and read keys but not anonymously', async () => {
    const all = await get<{ incidents: Summary[]; next: string | null }>('/api/v1/incidents');
    expect(all.status).toBe(200);
    expect(ids(all)).toEqual(['inc_b', 'inc_a', 'inc_db', 'inc_pay', 'inc_web']);
    expect(all.body.next).toBeNull();
    expect(all.body.incidents.find((i) => i.id === 'inc_pay')).toMatchObject({
      state: 'open', title: 'Card processor rejects payments', services: ['payment'], signal_count: 2, story_state: 'written', opened_at: iso(T - 20 * M), resolved_at: null,
    });
    expect(all.body.incidents.find((i) => i.id === 'inc_web')).toMatchObject({ state: 'resolved', resolved_at: iso(T - 2 * H) });
    expect(ids(await get('/api/v1/incidents?state=open'))).toEqual(['inc_b', 'inc_a', 'inc_db', 'inc_pay']);
    expect(ids(await get('/api/v1/incidents?state=resolved'))).toEqual(['inc_web']);
    expect(ids(await get('/api/v1/incidents?service=payment'))).toEqual(['inc_db', 'inc_pay']);
    expect(ids(await get('/api/v1/incidents?service=payment&state=resolved'))).toEqual([]);

    expect((await s.bare({ url: '/api/v1/incidents' })).statusCode).toBe(401);
    expect((await s.bare({ url: '/api/v1/incidents/inc_pay' })).statusCode).toBe(401);
    const viewer = await userSession(s, 'viewer');
    expect(ids(await get('/api/v1/incidents', { cookie: viewer.cookie }))).toHaveLength(5);
    const key = await apiKey(s, ['read']);
    expect((await get(`/api/v1/incidents/inc_pay`, { authorization: `Bearer ${key.key}` })).status).toBe(200);
  });

  it('pages with the opaque cursor: every incident once, in order; a bad cursor or limit is a 400', async () => {
    const seen: string[] = [];
    let url = '/api/v1/incidents?limit=2';
    for (let page = 0; page < 5; page++) {
      const r = await get<{ incidents: Summary[]; next: string | null }>(url);
      expect(r.status).toBe(200);
      expect(r.body.incidents.length).toBeLessThanOrEqual(2);
      seen.push(...ids(r));
      if (r.body.next === null) break;
      url = `/api/v1/incidents?limit=2&before=${encodeURIComponent(r.body.next)}`;
    }
    expect(seen).toEqual(['inc_b', 'inc_a', 'inc_db', 'inc_pay', 'inc_web']);
    const open = await get<{ incidents: Summary[]; next: string }>('/api/v1/incidents?state=open&limit=3');
    expect(ids(open)).toEqual(['inc_b', 'inc_a', 'inc_db']);
    expect(ids(await get(`/api/v1/incidents?state=open&limit=3&before=${open.body.next}`))).toEqual(['inc_pay']);
    for (const q of ['before=nonsense', `before=${Buffer.from('["yesterday","x"]').toString('base64url')}`, 'limit=0', 'limit=201', 'state=closed', 'sort=id']) {
      const r = await get<{ error: { code: string } }>(`/api/v1/incidents?${q}`);
      expect(r.status, q).toBe(400);
    }
  });

  it('shows one incident with its story, signals, zero-filled series, newest sample lines and history; 404 when unknown', async () => {
    const missing = await get<{ error: { code: string } }>('/api/v1/incidents/inc_nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');

    const { status, body } = await get<Detail>('/api/v1/incidents/inc_pay');
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: 'inc_pay', state: 'open', title: 'Card processor rejects payments', story_state: 'written' });
    expect(body.story).toMatchObject({
      title: 'Card processor rejects payments', first_cause: 'an expired certificate', next_steps: ['renew the certificate'], model: 'stand-in', confidence: 0.7,
      timeline: [{ at: iso(T - 20 * M), text: 'first decline' }],
    });
    expect(body.signals.map((x) => [x.id, x.kind, x.template_id, x.observed, x.ended_at])).toEqual([
      ['sig_new', 'new_template', 'tpl-pay', 12, null], ['sig_err', 'error_share', null, 40, null],
    ]);
    expect(body.history.map((h) => h.event)).toEqual(['opened', 'grew', 'story']);
    expect(body.history[1]).toMatchObject({ at: iso(T - 14 * M), detail: { signals: 2 } });

    // One chart: tpl-pay in payment, every minute from 30 minutes before it opened, zeros filled; other services' counts left out.
    expect(body.templates.map((t) => [t.id, t.service, t.template])).toEqual([['tpl-pay', 'payment', 'payment <*> declined']]);
    const series = body.templates[0]!.series;
    expect(series[0]!.minute).toBe(iso(T - 50 * M));
    series.forEach((p, i) => expect(Date.parse(p.minute)).toBe(T - 50 * M + i * M));
    expect(series.length).toBeGreaterThanOrEqual(51); // up to the current minute
    expect(series.filter((p) => p.count > 0).map((p) => [p.minute, p.count])).toEqual([[iso(T - 20 * M), 5], [iso(T - 12 * M), 7]]);

    // Samples: the template's three newest lines in payment (the pending one included), then the service's error lines.
    const tpl = body.samples.slice(0, 3);
    expect(tpl.map((x) => x.log_id)).toEqual([lines.pending, lines.done3, lines.done2]);
    expect(tpl[0]).toMatchObject({ service: 'payment', level: 'error', message: 'payment 9 declined' });
    expect(body.samples.slice(3).every((x) => x.service === 'payment' && x.level === 'error')).toBe(true);
    // The service's error lines include the template's own (error) lines: each line is listed once.
    expect(new Set(body.samples.map((x) => x.log_id)).size).toBe(body.samples.length);
  });

  it('charts a resolved incident up to 30 minutes after it resolved', async () => {
    const { body } = await get<Detail>('/api/v1/incidents/inc_web');
    const series = body.templates[0]!.series;
    expect(series[0]!.minute).toBe(iso(T - 3 * H - 30 * M));
    expect(series.at(-1)!.minute).toBe(iso(T - 2 * H + 30 * M));
    expect(series).toHaveLength(121);
    expect(series.filter((p) => p.count > 0)).toEqual([{ minute: iso(T - 150 * M), count: 300 }]);
    expect(body.samples).toEqual([]);
    expect(body.story).toBeNull();
  });

  it('counts open incidents in the status line', async () => {
    const { body } = await get<{ incidents: { open: number } }>('/api/v1/status');
    expect(body.incidents).toEqual({ open: 4 });
  });
});
