import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { RunningAiService } from '@logsage/ai-service';
import { startStandIn, type StandIn } from '@logsage/llm-stand-in';
import { parseConfig } from '../src/config/index.js';
import { budgetSettings, createBudgetGate, grpcAiBackend, type AiBackend } from '../src/modules/analysis/index.js';
import { createIncidentLoop, incidentSettings } from '../src/modules/incidents/index.js';
import { aiUrl, startAiRole } from '../src/roles/ai.js';
import { hasPostgres } from './helpers.js';
import { startPipelineServer, testStore, type PipelineServer } from './pipeline-helpers.js';

// An incident story the model never writes validly still cost tokens at every attempt: they count
// in the daily usage (shared among the incident's services) and a small budget holds the next try.
// The story goes through the real ai role to the LLM stand-in, whose counters are the truth.

const MINUTE = 60_000;
const SIM0 = Date.now() - 3 * 3_600_000 - (Date.now() % MINUTE);
const TICK = SIM0 + 66 * MINUTE + 30_000;

describe.skipIf(!hasPostgres())('tokens of failed incident stories', () => {
  let s: PipelineServer;
  let llm: StandIn;
  let ai: RunningAiService;
  let backend: AiBackend & { close(): void };
  const rows = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => (await s.running.db.query<T>(sql, params)).rows;
  // The gate dates usage on the tick's clock, as the story step does.
  const loopWith = (tokens: number) => createIncidentLoop({
    db: s.running.db, ai: backend, log: pino({ level: 'silent' }),
    settings: incidentSettings(parseConfig({ INCIDENT_SETTLE_SECONDS: '30' })),
    budget: createBudgetGate({ db: s.running.db, settings: budgetSettings(parseConfig({ LLM_DAILY_TOKEN_BUDGET: String(tokens) })), now: () => TICK, log: { warn: () => undefined } }),
    alert: async () => undefined,
  });
  const used = async () => (await rows<{ calls: string; p: string; c: string; r: string }>(
    `SELECT coalesce(sum(calls), 0)::text AS calls, coalesce(sum(prompt_tokens), 0)::text AS p, coalesce(sum(completion_tokens), 0)::text AS c,
            coalesce(sum(reasoning_tokens), 0)::text AS r FROM llm_usage_daily`)).map((x) => ({ calls: Number(x.calls), prompt: Number(x.p), completion: Number(x.c), reasoning: Number(x.r) }))[0]!;

  beforeAll(async () => {
    llm = await startStandIn({ port: 0 });
    const cfg = parseConfig({ LOG_LEVEL: 'silent', LLM_BASE_URL: llm.baseUrl, LLM_MODEL: 'test-model', LLM_API_KEY: 'test-key', LLM_MAX_RETRIES: '0', AI_GRPC_HOST: '127.0.0.1', AI_GRPC_PORT: '0', ANALYSIS_LANGUAGE: 'en' });
    ai = await startAiRole(cfg, pino({ level: 'silent' }));
    backend = grpcAiBackend({ url: aiUrl(cfg, ai), token: cfg.AI_SERVICE_TOKEN, deadlineMs: 10_000, language: 'en' });
  });
  afterAll(async () => {
    backend.close();
    await ai.close();
    await llm.close();
  });

  // Steady traffic, then a new error template at minute 65 that opens one incident; its sample lines
  // carry a planted fault, so every story request (the repair included) gets an answer without JSON.
  beforeEach(async () => {
    llm.reset();
    s = await startPipelineServer(await testStore('postgres'), { INCIDENTS_ENABLED: 'false' }, { provider: false, llm });
    const lines: Record<string, unknown>[] = [];
    for (let m = 0; m < 70; m++) {
      for (let i = 0; i < 10; i++) lines.push({ timestamp: new Date(SIM0 + m * MINUTE + i * 5000).toISOString(), level: 'info', service: 'api', message: `Request ${m * 10 + i} served in ${i + 3} ms` });
    }
    for (let i = 0; i < 3; i++) {
      lines.push({ timestamp: new Date(SIM0 + 65 * MINUTE + 1000 + i).toISOString(), level: 'error', service: 'api', message: `Worker ${i} crashed with signal ${9 + i} stand-in-fault:malformed` });
    }
    await s.ingest(lines);
    expect(await s.until(async () => Number((await rows<{ n: string }>(`SELECT coalesce(sum(count), 0)::text AS n FROM template_counts_minute`))[0]?.n) === lines.length, 60_000)).toBe(true);
  }, 90_000);
  afterEach(() => s?.cleanup());

  it('count every failed attempt as the stand-in counted it, until the story is marked failed', async () => {
    const loop = loopWith(0);
    for (let i = 0; i < 5 && (await s.count('incidents', `story_state = 'failed'`)) === 0; i++) await loop.runOnce(TICK);
    expect(await s.count('incidents', `story_state = 'failed' AND story_attempts = 3`)).toBe(1);
    const truth = llm.stats();
    // Three attempts, each an answer and a repair turn.
    expect(truth).toMatchObject({ calls: 6, incidentCalls: 6 });
    expect(await used()).toEqual({ calls: 6, prompt: truth.promptTokens, completion: truth.completionTokens, reasoning: truth.reasoningTokens });
    expect(truth.promptTokens).toBeGreaterThan(0);
    expect(await s.count('llm_usage_service_daily', `service = 'api' AND model = 'test-model' AND entries = 3 AND prompt_tokens = ${truth.promptTokens}`)).toBe(1);
  }, 60_000);

  it('reach a small token budget, which then holds the story instead of trying again', async () => {
    const loop = loopWith(1);
    for (let i = 0; i < 5 && llm.stats().calls === 0; i++) await loop.runOnce(TICK);
    expect(llm.stats().calls).toBe(2);
    const held = await loop.runOnce(TICK);
    expect(held.stories).toMatchObject({ written: 0, failed: 0, held: 1 });
    expect(llm.stats().calls).toBe(2);
    expect(await s.count('incidents', `story_state = 'due'`)).toBe(1);
    expect(await used()).toMatchObject({ calls: 2, prompt: llm.stats().promptTokens, completion: llm.stats().completionTokens });
  }, 60_000);
});
