import { analyseLog } from '@logsage/llm-stand-in';
import { afterEach, describe, expect, it } from 'vitest';
import { ENGINES } from './helpers.js';
import { KINDS, startPipelineServer, templatedLogs, testStore, type PipelineServer } from './pipeline-helpers.js';

let servers: PipelineServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.cleanup()));
  servers = [];
});

async function start(engine: (typeof ENGINES)[number], env: Record<string, string> = {}): Promise<PipelineServer> {
  const s = await startPipelineServer(await testStore(engine), env);
  servers.push(s);
  return s;
}

/** Every stored log has exactly one result, and no log is still pending. */
async function allAnalysed(s: PipelineServer, expected: number): Promise<boolean> {
  return (await s.count('analysis_results')) === expected && (await s.count('analysis_pending')) === 0;
}

describe.each(ENGINES)('analysis pipeline on %s', (engine) => {
  it('gives every log exactly one result, one LLM call per batch of templates', async () => {
    const s = await start(engine);
    const logs = templatedLogs(KINDS, 5); // 100 logs of 20 templates
    await s.ingest(logs);
    expect(await s.until(() => allAnalysed(s, 100))).toBe(true);

    const templates = await s.count('log_templates');
    expect(templates).toBeGreaterThanOrEqual(18);
    // One call per 12 templates (plus at most one per template that generalised after a first verdict).
    expect(s.llm.stats().calls).toBeLessThanOrEqual(Math.ceil(templates / 12) + 2);
    const dup = await s.running.db.query<{ n: string }>(`SELECT count(*) - count(DISTINCT log_id) AS n FROM analysis_results`);
    expect(Number(dup.rows[0]?.n)).toBe(0);
    const sources = await s.running.db.query<{ source: string; n: string }>(`SELECT source, count(*)::text AS n FROM analysis_results GROUP BY 1`);
    const bySource = Object.fromEntries(sources.rows.map((r) => [r.source, Number(r.n)]));
    expect(bySource.llm).toBeGreaterThanOrEqual(templates - 2);
    expect((bySource.llm ?? 0) + (bySource.template ?? 0)).toBe(100);

    // The query API shows each log with its analysis, as the model (here the stand-in) judged it.
    const page = await s.running.app.inject({ url: '/api/v1/logs?limit=1000' });
    const shown = page.json<{ logs: { message: string; level: string; analysis_status: string; analysis: { severity: string; source: string } | null }[] }>().logs;
    expect(shown).toHaveLength(100);
    for (const l of shown) expect(l.analysis_status).toBe('done');
    const rep = shown.find((l) => l.analysis?.source === 'llm' && l.message.startsWith('Out of memory'));
    expect(rep?.analysis?.severity).toBe(analyseLog({ level: rep?.level ?? '', message: rep?.message ?? '' }, 'en').severity);
    const anomalies = await s.running.app.inject({ url: '/api/v1/logs?limit=1000&anomaly=true&severity=critical,high' });
    expect(anomalies.json<{ logs: unknown[] }>().logs.length).toBeGreaterThan(0);

    const metrics = (await s.running.app.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/^logsage_analysis_results_total 100$/m);
    expect(metrics).toMatch(/^logsage_analysis_backlog\{stage="pending_logs"\} 0$/m);
    expect(metrics).toMatch(new RegExp(`^logsage_llm_usage_today\\{kind="calls"\\} ${s.llm.stats().calls}$`, 'm'));
  });

  it('reuses a fresh verdict: repeats of known templates cause no further LLM calls', async () => {
    const s = await start(engine);
    await s.ingest(templatedLogs(KINDS.slice(0, 6), 2));
    expect(await s.until(() => allAnalysed(s, 12))).toBe(true);
    const calls = s.llm.stats().calls;
    await s.ingest(templatedLogs(KINDS.slice(0, 6), 10));
    expect(await s.until(() => allAnalysed(s, 72))).toBe(true);
    expect(s.llm.stats().calls).toBe(calls);
    expect(await s.count('analysis_results', `source = 'template'`)).toBeGreaterThanOrEqual(60);
    const t = await s.running.app.inject({ url: '/api/v1/templates?order=count' });
    const body = t.json<{ templates: { count: number; verdict: { state: string; severity: string } | null }[]; total: number }>();
    expect(body.total).toBe(await s.count('log_templates'));
    expect(body.templates[0]?.count).toBe(12);
    expect(body.templates[0]?.verdict?.state).toBe('done');
  });

  it('analyses lines of a parameter-dependent template per distinct message', async () => {
    const s = await start(engine);
    const lines = ['request /a failed status=500', 'request /b failed status=404', 'request /c failed status=503', 'request /c failed status=503'];
    await s.ingest(lines.map((message) => ({ message, level: 'error', service: 'edge' })));
    expect(await s.until(() => allAnalysed(s, 4))).toBe(true);
    expect(await s.count('log_templates', 'parameter_dependent')).toBe(1);
    // Three distinct messages: three verdicts of their own (the first line's template-wide verdict among them).
    const keys = await s.running.db.query<{ n: string }>(`SELECT count(DISTINCT verdict_key)::text AS n FROM analysis_results`);
    expect(Number(keys.rows[0]?.n)).toBe(3);
  });

  it('keeps secrets out of what reaches the LLM', async () => {
    const s = await start(engine);
    const canaries = ['alice.canary@example.com', 'sk-canary0123456789abcdefghijkl', 'p4ssCanary!'];
    await s.ingest([
      { level: 'error', message: `login failed for ${canaries[0]} with key ${canaries[1]}`, service: 'auth' },
      { level: 'error', message: `connecting to postgres://app:${canaries[2]}@db:5432/x failed`, service: 'api' },
    ]);
    expect(await s.until(() => allAnalysed(s, 2))).toBe(true);
    const sent = JSON.stringify(s.llm.requests());
    expect(sent).toContain('login failed for');
    for (const c of canaries) expect(sent).not.toContain(c);
  });
});
