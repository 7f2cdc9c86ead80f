import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandIn, type StandIn } from '@logsage/llm-stand-in';
import { KINDS, startPipelineServer, templatedLogs, testStore, type PipelineServer } from './pipeline-helpers.js';
import { createChannel } from './notify-helpers.js';
import { startHttpReceiver, type HttpReceiver } from './receivers/http.js';
import type { Engine } from './helpers.js';

// Daily LLM budgets against the stand-in: a token budget of one token lets exactly one batch through
// (the check runs before each batch, one batch at a time); the rest waits, pending, until the next
// UTC day or a raised budget. Template verdicts keep flowing meanwhile, and nothing is lost.

const DAY = 86_400_000;
const PRICES = JSON.stringify({ 'test-model': { input: 2, output: 8, currency: 'USD' } });

interface Status {
  analysis: { state: string; reason: string | null; reason_code: string | null };
  backlog: { pending_logs: number; open: number; scheduled: number; parked: number };
  budget: {
    day: string;
    reached: string | null;
    tokens: { used: number; limit: number | null; remaining: number | null };
    cost: { used: Record<string, number>; limit: number | null; currency: string | null; remaining: number | null };
  };
  usage_today: { calls: number; prompt_tokens: number; completion_tokens: number; cost: Record<string, number> };
}

interface UsageDay {
  day: string;
  calls: number;
  prompt_tokens: number;
  completion_tokens: number;
  cost: Record<string, number>;
  by_service: { service: string; entries: number; prompt_tokens: number; completion_tokens: number; cost: Record<string, number> }[];
}

const status = async (s: PipelineServer): Promise<Status> => (await s.running.app.inject({ url: '/api/v1/status' })).json<Status>();
const llmCalls = (llm: StandIn): number => llm.requests().length;
const budgetEnv = (channelId: string, tokens: string): Record<string, string> => ({
  LLM_DAILY_TOKEN_BUDGET: tokens, ANALYSIS_WORKERS: '1', ANALYSIS_BATCH_SIZE: '5', LLM_BUDGET_NOTIFY_CHANNELS: channelId,
  OUTBOUND_ALLOW: '127.0.0.1', LLM_PRICES: PRICES,
});

/** A store with one webhook channel (created by a process without a provider), and its id. */
async function storeWithChannel(engine: Engine, llm: StandIn, hook: HttpReceiver) {
  const store = await testStore(engine);
  const setup = await startPipelineServer(store, { OUTBOUND_ALLOW: '127.0.0.1' }, { llm, provider: false });
  const channel = await createChannel(setup.running, { type: 'webhook', language: 'en', config: { url: `${hook.url}/budget` } });
  await setup.stop();
  return { store, channelId: channel.id };
}

/** Waits until the budget stopped analysis: reason budget, no batch in flight. */
async function untilPaused(s: PipelineServer): Promise<Status> {
  expect(await s.until(async () => {
    const st = await status(s);
    return st.analysis.reason_code === 'budget' && st.backlog.scheduled === 0;
  }, 30_000)).toBe(true);
  return status(s);
}

describe('daily LLM budget', () => {
  let llm: StandIn;
  let hook: HttpReceiver;
  beforeAll(async () => {
    llm = await startStandIn({ port: 0 });
    hook = await startHttpReceiver();
  });
  afterAll(async () => {
    await hook.close();
    await llm.close();
  });

  it('stops LLM batches at the token budget, keeps template verdicts flowing, notifies once and resumes day by day (PGlite)', async () => {
    llm.reset();
    hook.requests.length = 0;
    const { store, channelId } = await storeWithChannel('pglite', llm, hook);
    let offset = 0;
    const s = await startPipelineServer(store, budgetEnv(channelId, '1'), { llm, now: () => Date.now() + offset });
    try {
      const first = templatedLogs(KINDS, 3);
      await s.ingest(first);
      const paused = await untilPaused(s);
      expect(llmCalls(llm)).toBe(1);
      expect(paused.analysis.state).toBe('waiting');
      expect(paused.budget.reached).toBe('tokens');
      expect(paused.budget.tokens.limit).toBe(1);
      expect(paused.budget.tokens.remaining).toBe(0);
      expect(paused.budget.tokens.used).toBe(paused.usage_today.prompt_tokens + paused.usage_today.completion_tokens);
      const expectedCost = (paused.usage_today.prompt_tokens * 2 + paused.usage_today.completion_tokens * 8) / 1e6;
      expect(paused.budget.cost.used.USD).toBeCloseTo(expectedCost, 6);
      // One batch of five templates answered; the others wait, pending, with no attempt used and none parked.
      expect(await s.count('analysis_results')).toBe(15);
      expect(await s.count('analysis_pending')).toBe(45);
      expect(paused.backlog.parked).toBe(0);
      expect(await s.count('verdicts', `state = 'open'`)).toBe(15);
      expect(await s.count('verdicts', `state = 'open' AND attempts > 0`)).toBe(0);

      // Lines whose template has a verdict still get it without the LLM.
      await s.ingest(templatedLogs(KINDS, 1));
      expect(await s.until(async () => (await s.count('analysis_results')) > 15)).toBe(true);
      expect(await s.count('analysis_results', `source = 'llm'`)).toBe(5);
      expect(llmCalls(llm)).toBe(1);

      // The admin notification: once for the day, however often the budget was checked.
      expect(await s.until(async () => hook.requests.length > 0)).toBe(true);
      const notice = JSON.parse(hook.requests[0]?.body ?? '{}') as { url?: string };
      expect(notice).toMatchObject({ status: 'firing', rule: { name: 'LLM daily budget reached' } });
      // It links to the budget on Settings → LLM: no alert page exists for it.
      expect(notice.url).toMatch(/\/settings\/llm$/);

      // Each following UTC day lets one more batch through, until every log is analysed.
      let days = 1;
      while ((await s.count('analysis_pending')) > 0 && days < 10) {
        offset += DAY;
        days += 1;
        expect(await s.until(async () => llmCalls(llm) === days)).toBe(true);
        await untilPaused(s);
      }
      expect(await s.count('analysis_pending')).toBe(0);
      expect(await s.count('analysis_results')).toBe(80);
      expect(await s.count('verdicts', `state = 'parked'`)).toBe(0);
      expect(days).toBe(4);
      // The last day's budget is reached too (by its one batch): its notice may trail the pause by a check.
      expect(await s.until(async () => (await s.count('llm_budget_days')) === days)).toBe(true);
      expect(await s.count('notify_outbox', `idempotency_key LIKE 'llm-budget:%'`)).toBe(days);

      // Usage per day and per service: every day has its batch, the services' shares add up.
      const usage = (await s.running.app.inject({ url: `/api/v1/analysis/usage?days=${days}` })).json<{ days: UsageDay[] }>().days;
      expect(usage.map((d) => d.calls)).toEqual(Array(days).fill(1));
      for (const d of usage) {
        expect(d.by_service.reduce((n, x) => n + x.entries, 0)).toBe(5);
        expect(d.by_service.reduce((n, x) => n + x.prompt_tokens, 0)).toBe(d.prompt_tokens);
        expect(d.by_service.reduce((n, x) => n + x.completion_tokens, 0)).toBe(d.completion_tokens);
        expect(d.cost.USD).toBeCloseTo((d.prompt_tokens * 2 + d.completion_tokens * 8) / 1e6, 6);
      }
      expect(await s.until(async () => hook.requests.length >= days)).toBe(true);
      const keys = hook.requests.map((r) => (JSON.parse(r.body) as { idempotencyKey: string }).idempotencyKey);
      expect(new Set(keys).size).toBe(days);
      expect(keys.length).toBe(days);
    } finally {
      await s.cleanup();
    }
  }, 120_000);

  it('resumes at once under a raised budget in a new process, without a second notification (PostgreSQL)', async () => {
    llm.reset();
    hook.requests.length = 0;
    const { store, channelId } = await storeWithChannel('postgres', llm, hook);
    const a = await startPipelineServer(store, budgetEnv(channelId, '1'), { llm });
    try {
      await a.ingest(templatedLogs(KINDS, 2));
      await untilPaused(a);
      expect(llmCalls(llm)).toBe(1);
      expect(await a.count('analysis_pending')).toBe(30);
      // The day's notice is recorded by a budget check that may trail the pause: wait for it before stopping.
      expect(await a.until(async () => (await a.count('llm_budget_days')) === 1)).toBe(true);
    } finally {
      await a.stop();
    }
    const b = await startPipelineServer(store, budgetEnv(channelId, '100000000'), { llm });
    try {
      expect(await b.until(async () => (await b.count('analysis_pending')) === 0, 30_000)).toBe(true);
      expect(await b.count('analysis_results')).toBe(40);
      expect(await b.count('verdicts', `state = 'parked'`)).toBe(0);
      const st = await status(b);
      expect(st.budget.reached).toBeNull();
      expect(st.analysis.reason_code).toBeNull();
      expect(st.budget.tokens.remaining).toBe(100_000_000 - st.budget.tokens.used);
      expect(llmCalls(llm)).toBe(4);
      expect(await b.count('llm_budget_days')).toBe(1);
      expect(await b.count('notify_outbox', `idempotency_key LIKE 'llm-budget:%'`)).toBe(1);
    } finally {
      await b.stop();
    }
    // A cost budget below what today cost: reached by cost, and still one notice for the day.
    const c = await startPipelineServer(store, { ...budgetEnv(channelId, '0'), LLM_DAILY_COST_BUDGET: '0.000001 usd' }, { llm });
    try {
      const st = await status(c);
      expect(st.budget.reached).toBe('cost');
      expect(st.analysis.reason_code).toBe('budget');
      expect(st.budget.cost).toMatchObject({ limit: 0.000001, currency: 'USD', remaining: 0 });
      expect(st.budget.cost.used.USD).toBeCloseTo((st.usage_today.prompt_tokens * 2 + st.usage_today.completion_tokens * 8) / 1e6, 6);
      expect(st.budget.tokens.limit).toBeNull();
      expect(await c.until(async () => (await c.count('llm_budget_days')) === 1 && (await status(c)).analysis.state === 'waiting')).toBe(true);
      expect(await c.count('notify_outbox', `idempotency_key LIKE 'llm-budget:%'`)).toBe(1);
    } finally {
      await c.cleanup();
    }
  }, 120_000);
});
