import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './helpers.js';
import { KINDS, startPipelineServer, templatedLogs, testStore, type PipelineServer } from './pipeline-helpers.js';

// "Other logs of this template": the dashboard links every analysis and template to
// /logs?template=<id>, which reads GET /api/v1/logs?template=<id>.
describe.each(ENGINES)('GET /api/v1/logs?template= on %s', (engine) => {
  let s: PipelineServer;
  const kinds = KINDS.slice(0, 3);
  const per = 7;
  beforeAll(async () => {
    s = await startPipelineServer(await testStore(engine));
    await s.ingest(templatedLogs(kinds, per));
    expect(await s.until(async () => (await s.count('analysis_results')) === kinds.length * per)).toBe(true);
  });
  afterAll(() => s?.cleanup());

  const get = async (url: string) => s.running.app.inject({ method: 'GET', url });

  it('returns exactly the logs analysed as lines of that template, paged with the cursor', async () => {
    const ids = await s.running.db.query<{ template_id: string; n: string }>(
      'SELECT template_id, count(*)::text AS n FROM analysis_results GROUP BY template_id ORDER BY template_id',
    );
    expect(ids.rows).toHaveLength(kinds.length);
    const target = ids.rows[0]!;
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r = await get(`/api/v1/logs?template=${target.template_id}&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(r.statusCode).toBe(200);
      const body = r.json<{ logs: { id: string; analysis: { template_id: string } }[]; next_cursor: string | null }>();
      for (const l of body.logs) expect(l.analysis.template_id).toBe(target.template_id);
      seen.push(...body.logs.map((l) => l.id));
      cursor = body.next_cursor;
    } while (cursor);
    expect(seen).toHaveLength(Number(target.n));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('takes several ids and combines with the other filters', async () => {
    const ids = (await s.running.db.query<{ template_id: string }>('SELECT DISTINCT template_id FROM analysis_results ORDER BY 1')).rows.map((r) => r.template_id);
    const two = await get(`/api/v1/logs?template=${ids[0]},${ids[1]}&limit=1000`);
    expect(two.json().logs).toHaveLength(2 * per);
    const none = await get(`/api/v1/logs?template=${ids[0]}&service=no-such-service`);
    expect(none.json().logs).toEqual([]);
    const unknown = await get('/api/v1/logs?template=0123456789abcdef');
    expect(unknown.json().logs).toEqual([]);
  });

  it('refuses what is not a template id', async () => {
    const r = await get(`/api/v1/logs?template=${encodeURIComponent("x' OR 1=1 --")}`);
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toMatch(/template/);
  });
});
