// The incident story through the real ai role, as the worker reaches it: config → ai role (gRPC) →
// the LLM stand-in → back through AiBackend.describeIncident.
import { AnalysisCallError, type RunningAiService } from '@logsage/ai-service';
import { describeIncident as standInStory, parseIncidentBlock, startStandIn, type StandIn } from '@logsage/llm-stand-in';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/index.js';
import { grpcAiBackend, type AiBackend } from '../src/modules/analysis/index.js';
import type { DescribeIncidentRequest } from '../src/modules/analysis/types.js';
import { aiUrl, startAiRole } from '../src/roles/ai.js';

let llm: StandIn;
let ai: RunningAiService;
let backend: AiBackend & { close(): void };

const request: DescribeIncidentRequest = {
  incidentId: 'inc_story1',
  openedAt: '2026-03-01T08:00:00Z',
  updatedAt: '2026-03-01T08:07:00Z',
  signals: [
    {
      kind: 'new_template',
      service: 'payment-api',
      template: 'db pool exhausted after <*> ms',
      startedAt: '2026-03-01T08:01:00Z',
      observed: 42,
      expected: 0,
      samples: ['db pool exhausted after 5000 ms (user alice@example.com)'],
      verdict: { summary: 'The connection pool ran dry', severity: 'high' },
    },
    { kind: 'error_share', service: 'checkout', template: '', startedAt: '2026-03-01T08:00:00Z', observed: 80, expected: 4.5, samples: ['payment call failed'] },
  ],
};

beforeAll(async () => {
  llm = await startStandIn({ port: 0 });
  const cfg = parseConfig({
    LOG_LEVEL: 'silent',
    LLM_BASE_URL: llm.baseUrl,
    LLM_MODEL: 'Qwen/QwQ-32B',
    LLM_API_KEY: 'test-key',
    LLM_MAX_RETRIES: '1',
    AI_GRPC_HOST: '127.0.0.1',
    AI_GRPC_PORT: '0',
    AI_SERVICE_TOKEN: 'story-token',
    ANALYSIS_LANGUAGE: 'en',
  });
  ai = await startAiRole(cfg, pino({ level: 'silent' }));
  backend = grpcAiBackend({ url: aiUrl(cfg, ai), token: cfg.AI_SERVICE_TOKEN, deadlineMs: 10_000, language: cfg.ANALYSIS_LANGUAGE });
});
beforeEach(() => llm.reset());
afterAll(async () => {
  backend.close();
  await ai.close();
  await llm.close();
});

describe('AiBackend.describeIncident through the ai role', () => {
  it('returns the story the model wrote from the redacted evidence, with model and usage', async () => {
    const result = await backend.describeIncident(request, { requestId: 'story-1' });
    const sent = llm.requests();
    expect(sent).toHaveLength(1);
    expect(llm.stats()).toMatchObject({ calls: 1, incidentCalls: 1 });
    const userText = String(sent[0]?.messages.find((m) => m.role === 'user')?.content);
    expect(userText).not.toContain('alice@example.com');
    expect(userText).toContain('[REDACTED:email]');
    const evidence = parseIncidentBlock(userText);
    if (!evidence) throw new Error('no evidence block sent');
    const expected = standInStory(evidence, 'en');
    expect(result.story).toEqual({
      title: expected.title,
      summary: expected.summary,
      timeline: expected.timeline,
      firstCause: expected.first_cause,
      affectedServices: expected.affected_services,
      nextSteps: expected.next_steps,
      severity: expected.severity,
      confidence: expected.confidence,
    });
    expect(result.story.title).toBe('New log template in payment-api and 1 more service');
    // The earliest signal is checkout's error share, though it was sent second.
    expect(result.story.firstCause).toMatch(/^Error share up in checkout/);
    expect(result.story.timeline.map((e) => e.at)).toEqual(['2026-03-01T08:00:00.000Z', '2026-03-01T08:01:00.000Z']);
    expect(result.story.affectedServices).toEqual(['payment-api', 'checkout']);
    expect(result.story.severity).toBe('high');
    expect(result).toMatchObject({ model: 'Qwen/QwQ-32B', promptVersion: 'incident-v1', llmCalls: 1, demo: false });
    const stats = llm.stats();
    expect(result.usage).toEqual({ promptTokens: stats.promptTokens, completionTokens: stats.completionTokens, reasoningTokens: stats.reasoningTokens });
    expect(result.usage.promptTokens).toBeGreaterThan(0);
  });

  it('writes in the request language over the configured one', async () => {
    const result = await backend.describeIncident({ ...request, language: 'zh-CN' }, { requestId: 'story-2' });
    expect(result.story.title).toBe('payment-api 出现新日志模板（另有 1 个服务受影响）');
  });

  it('reports failures as AnalysisCallError with the same codes as analyze', async () => {
    const tooMany = { ...request, signals: Array.from({ length: 21 }, () => request.signals[1]!) };
    const invalid = await backend.describeIncident(tooMany, { requestId: 'story-3' }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(AnalysisCallError);
    expect(invalid).toMatchObject({ code: 'invalid', retryable: false });
    expect(llm.stats().calls).toBe(0);

    llm.queueFaults([{ kind: 'unavailable' }, { kind: 'unavailable' }]);
    const down = await backend.describeIncident(request, { requestId: 'story-4' }).catch((e: unknown) => e);
    expect(down).toMatchObject({ code: 'unavailable', retryable: true });
    expect(llm.stats().incidentCalls).toBe(2);
  });
});
