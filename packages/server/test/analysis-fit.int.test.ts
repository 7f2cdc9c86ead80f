import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './helpers.js';
import { startPipelineServer, testStore, type PipelineServer } from './pipeline-helpers.js';

// A verdict reused across the lines of a template never shows another line's values: the stand-in's
// summary quotes its representative's line, and the other line's result must read its own values.

describe.each(ENGINES)('verdict text fitted to each line on %s', (engine) => {
  let s: PipelineServer;
  beforeAll(async () => {
    s = await startPipelineServer(await testStore(engine));
  });
  afterAll(() => s.cleanup());

  it('a reused summary carries the line\'s own values, not the representative\'s', async () => {
    const lines = ['worker-17: heap usage 11MB over limit', 'worker-3: heap usage 512MB over limit'];
    await s.ingest(lines.map((message, i) => ({ message, level: 'error', service: 'jvm', timestamp: new Date(Date.now() - (2 - i) * 1000).toISOString() })));
    expect(await s.until(async () => (await s.count('analysis_results')) === 2, 30_000)).toBe(true);
    const rows = (await s.running.db.query<{ message: string; source: string; summary: string; template_id: string }>(
      `SELECT l.message, r.source, r.summary, r.template_id FROM analysis_results r JOIN logs l ON l.id = r.log_id AND l.ts = r.ts ORDER BY r.source`)).rows;
    expect(new Set(rows.map((r) => r.template_id)).size).toBe(1);
    expect(rows.map((r) => r.source)).toEqual(['llm', 'template']);
    const [rep, reused] = rows as [typeof rows[0], typeof rows[0]];
    const own = (m: string) => m.split(/[\s:]+/).filter((t) => /\d/.test(t));
    // The stand-in quotes the line it read: the control that this test can fail.
    for (const v of own(rep.message)) expect(rep.summary).toContain(v);
    for (const v of own(rep.message)) expect(reused.summary).not.toContain(v);
    for (const v of own(reused.message)) expect(reused.summary).toContain(v);
  });
});
