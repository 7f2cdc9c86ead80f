import { startStandIn } from '@logsage/llm-stand-in';
import { afterEach, describe, expect, it } from 'vitest';
import { hasPostgres } from './helpers.js';
import { KINDS, startPipelineServer, templatedLogs, testStore, type PipelineServer } from './pipeline-helpers.js';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function start(env: Record<string, string> = {}, o: Parameters<typeof startPipelineServer>[2] = {}): Promise<PipelineServer> {
  const s = await startPipelineServer(await testStore('postgres'), env, o);
  cleanups.push(() => s.cleanup());
  return s;
}

const analysed = async (s: PipelineServer, n: number): Promise<boolean> =>
  (await s.count('analysis_results')) === n && (await s.count('analysis_pending')) === 0;

interface Parked {
  parked: { key: string; attempts: number; last_error: string; waiting_logs: number; template: string }[];
}

describe.runIf(hasPostgres())('analysis under LLM faults', () => {
  it('parks a batch the model keeps failing, with its reason, and re-drives it on request', async () => {
    const s = await start({ ANALYSIS_ATTEMPTS: '2', ANALYSIS_BATCH_SIZE: '1' });
    // Every request carrying this line fails with 500; the other templates are unaffected.
    await s.ingest([...templatedLogs(KINDS.slice(0, 3), 2), { level: 'error', message: 'poison line stand-in-fault:server_error', service: 'x' }]);
    expect(await s.until(async () => (await s.count('verdicts', `state = 'parked'`)) === 1 && (await s.count('analysis_results')) === 6)).toBe(true);
    const parked = (await s.running.app.inject({ url: '/api/v1/analysis/parked' })).json<Parked>().parked;
    expect(parked).toHaveLength(1);
    expect(parked[0]).toMatchObject({ attempts: 2, waiting_logs: 1 });
    expect(parked[0]?.last_error).toMatch(/failed 2 times/);
    const status = (await s.running.app.inject({ url: '/api/v1/status' })).json<{ backlog: { parked: number; pending_logs: number } }>();
    expect(status.backlog).toMatchObject({ parked: 1, pending_logs: 1 });

    const calls = s.llm.stats().calls;
    const redrive = await s.running.app.inject({ method: 'POST', url: '/api/v1/analysis/parked/redrive', payload: { keys: [parked[0]?.key] } });
    expect(redrive.json()).toEqual({ reopened: 1 });
    // Tried again from scratch (two more attempts), and parked again since the line still fails.
    expect(await s.until(async () => s.llm.stats().calls >= calls + 2 && (await s.count('verdicts', `state = 'parked'`)) === 1)).toBe(true);
    expect((await s.running.app.inject({ url: '/api/v1/analysis/parked' })).json<Parked>().parked[0]?.attempts).toBe(2);
  });

  it('waits out rate limits without using up attempts, retries a 503 with backoff, then finishes', async () => {
    const llm = await startStandIn({ port: 0 });
    cleanups.push(() => llm.close());
    llm.queueFaults([{ kind: 'rate_limit', param: 1 }, { kind: 'rate_limit', param: 1 }, { kind: 'unavailable' }]);
    // Two attempts: the 429s must not use any of them, the 503 uses one.
    const s = await start({ ANALYSIS_ATTEMPTS: '2' }, { llm });
    await s.ingest(templatedLogs(KINDS.slice(0, 5), 2));
    expect(await s.until(() => analysed(s, 10), 30_000)).toBe(true);
    expect(await s.count('verdicts', `state = 'parked'`)).toBe(0);
    expect(llm.stats().byStatus['429']).toBe(2);
    expect(llm.stats().byStatus['503']).toBe(1);
  });

  it('recovers from malformed, fenced, reasoning-laden and cut-off replies', async () => {
    const llm = await startStandIn({ port: 0 });
    cleanups.push(() => llm.close());
    llm.queueFaults([{ kind: 'malformed' }, { kind: 'think_unopened' }, { kind: 'fenced' }, { kind: 'length' }, { kind: 'missing_result' }]);
    const s = await start({ ANALYSIS_BATCH_SIZE: '4' }, { llm });
    await s.ingest(templatedLogs(KINDS.slice(0, 8), 1));
    expect(await s.until(() => analysed(s, 8), 30_000)).toBe(true);
    expect(await s.count('verdicts', `state <> 'done'`)).toBe(0);
  });

  it('stores logs and mines templates with no LLM configured, says why it waits, and analyses the backlog once one is', async () => {
    const store = await testStore('postgres');
    const first = await startPipelineServer({ ...store, remove: async () => undefined }, {}, { provider: false });
    cleanups.push(() => store.remove());
    await first.ingest(templatedLogs(KINDS.slice(0, 4), 3));
    expect(await first.until(async () => (await first.count('analysis_pending', 'verdict_key IS NULL')) === 0)).toBe(true);
    const status = (await first.running.app.inject({ url: '/api/v1/status' })).json<{ analysis: { state: string; reason: string }; llm: { configured: boolean } }>();
    expect(status.analysis.state).toBe('waiting');
    expect(status.analysis.reason).toMatch(/no LLM provider configured/);
    expect(status.llm.configured).toBe(false);
    expect(await first.count('analysis_results')).toBe(0);
    expect(await first.count('log_templates')).toBe(4);
    await first.cleanup();

    const second = await startPipelineServer({ ...store, remove: async () => undefined });
    cleanups.push(() => second.cleanup());
    expect(await second.until(() => analysed(second, 12))).toBe(true);
    const after = (await second.running.app.inject({ url: '/api/v1/status' })).json<{ analysis: { state: string }; usage_today: { calls: number; prompt_tokens: number } }>();
    expect(after.analysis.state).toBe('running');
    expect(after.usage_today.calls).toBe(second.llm.stats().calls);
    expect(after.usage_today.prompt_tokens).toBeGreaterThan(0);
  });
});
