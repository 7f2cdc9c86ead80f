import { afterEach, describe, expect, it } from 'vitest';
import { hasPostgres } from './helpers.js';
import { KINDS, startPipelineServer, templatedLogs, testStore, type PipelineServer } from './pipeline-helpers.js';

// A batch the model keeps answering badly costs tokens at every attempt. Those tokens count in the
// daily usage and budget like a good answer's: the usage report matches what the provider (the
// stand-in) counted, and a small budget stops a batch that only ever fails.

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function start(env: Record<string, string>): Promise<PipelineServer> {
  const s = await startPipelineServer(await testStore('postgres'), env);
  cleanups.push(() => s.cleanup());
  return s;
}

interface UsageDay {
  calls: number;
  prompt_tokens: number;
  completion_tokens: number;
  reasoning_tokens: number;
  by_service: { service: string; entries: number; prompt_tokens: number; completion_tokens: number }[];
}

interface Status {
  analysis: { state: string; reason_code: string | null };
  backlog: { scheduled: number; parked: number };
  budget: { reached: string | null; tokens: { used: number } };
  usage_today: { calls: number; prompt_tokens: number; completion_tokens: number };
}

const today = async (s: PipelineServer): Promise<UsageDay> =>
  (await s.running.app.inject({ url: '/api/v1/analysis/usage?days=1' })).json<{ days: UsageDay[] }>().days[0]!;
const status = async (s: PipelineServer): Promise<Status> => (await s.running.app.inject({ url: '/api/v1/status' })).json<Status>();

// Planted in a log line, the fault applies to every request that carries it, the repair turn included.
const poison = { level: 'error', service: 'poison', message: 'odd payload stand-in-fault:malformed' };

describe.runIf(hasPostgres())('tokens of failed LLM calls', () => {
  it('count in the usage as the provider counted them, per attempt, while the batch is retried and parked', async () => {
    const s = await start({ ANALYSIS_ATTEMPTS: '2', ANALYSIS_BATCH_SIZE: '1', ANALYSIS_WORKERS: '1' });
    await s.ingest([...templatedLogs(KINDS.slice(0, 3), 2), poison]);
    expect(await s.until(async () => (await s.count('verdicts', `state = 'parked'`)) === 1 && (await s.count('analysis_results')) === 6, 30_000)).toBe(true);

    const truth = s.llm.stats();
    // Two attempts of the poison batch (an answer and a repair each), one call per good template.
    expect(truth.calls).toBe(2 * 2 + 3);
    const usage = await today(s);
    expect(usage).toMatchObject({
      calls: truth.calls, prompt_tokens: truth.promptTokens, completion_tokens: truth.completionTokens, reasoning_tokens: truth.reasoningTokens,
    });
    // The failed attempts are the poison service's: its entries were sent twice, and its tokens are
    // those of the four requests that carried its line.
    const poisonRequests = s.llm.requests().filter((r) => JSON.stringify(r.messages).includes('stand-in-fault:malformed'));
    expect(poisonRequests).toHaveLength(4);
    const share = usage.by_service.find((x) => x.service === 'poison');
    expect(share).toMatchObject({ entries: 2 });
    expect(share!.prompt_tokens).toBeGreaterThan(0);
    expect(usage.by_service.reduce((n, x) => n + x.prompt_tokens, 0)).toBe(usage.prompt_tokens);
    expect(usage.by_service.reduce((n, x) => n + x.completion_tokens, 0)).toBe(usage.completion_tokens);
    const st = await status(s);
    expect(st.usage_today).toMatchObject({ calls: truth.calls, prompt_tokens: truth.promptTokens, completion_tokens: truth.completionTokens });
    expect(st.backlog.parked).toBe(1);
  }, 60_000);

  it('reach a small token budget: a batch that only ever fails stops with reason budget instead of burning its attempts', async () => {
    const s = await start({ ANALYSIS_ATTEMPTS: '5', ANALYSIS_WORKERS: '1', LLM_DAILY_TOKEN_BUDGET: '1' });
    await s.ingest([poison]);
    expect(await s.until(async () => {
      const st = await status(s);
      return st.analysis.reason_code === 'budget' && st.backlog.scheduled === 0;
    }, 30_000)).toBe(true);
    const st = await status(s);
    const truth = s.llm.stats();
    // One failed attempt (answer and repair) spent the budget; the retry waits on it, not parked.
    expect(truth.calls).toBe(2);
    expect(st.budget.reached).toBe('tokens');
    expect(st.budget.tokens.used).toBe(truth.promptTokens + truth.completionTokens);
    expect(st.backlog.parked).toBe(0);
    expect(await s.count('verdicts', `state = 'open'`)).toBe(1);
    expect(await s.count('analysis_results')).toBe(0);
    expect(await today(s)).toMatchObject({ calls: 2, prompt_tokens: truth.promptTokens, completion_tokens: truth.completionTokens });
  }, 60_000);
});
