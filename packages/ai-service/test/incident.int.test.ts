import { describeIncident as standInStory, parseIncidentBlock } from '@logsage/llm-stand-in';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalysisCallError, AnalysisError } from '../src/errors.js';
import { createAnalysisClient, type AnalysisClient } from '../src/grpc/client.js';
import { startAiService, type RunningAiService } from '../src/grpc/server.js';
import type { DescribeIncidentRequest } from '../src/incident-types.js';
import { buildIncident, buildSignal } from './incident-factories.js';
import { SECRET_SHAPES } from './secret-shapes.js';
import { analyzerFor, everythingSent, standInOptions, useStandIn, userMessages } from './stand-in.js';

const standIn = useStandIn();
const cascade = buildIncident([
  buildSignal({ kind: 'error_share', service: 'checkout', template: '', startedAt: '2026-01-02T03:06:00Z', samples: ['payment call failed'] }),
  buildSignal({ kind: 'new_template', service: 'payment-api', template: 'pool exhausted after <*> ms', verdict: { summary: 'The DB pool ran dry', severity: 'critical' } }),
]);

/** The story the stand-in derives from the evidence the analyzer actually sent. */
function expectedStory(language: 'en' | 'zh-CN') {
  const evidence = parseIncidentBlock(userMessages(standIn.get().requests()[0])[0] ?? '');
  if (!evidence) throw new Error('no <incident> block was sent');
  const s = standInStory(evidence, language);
  return { title: s.title, summary: s.summary, timeline: s.timeline, firstCause: s.first_cause, affectedServices: s.affected_services, nextSteps: s.next_steps, severity: s.severity, confidence: s.confidence };
}

async function failure(promise: Promise<unknown>): Promise<AnalysisError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AnalysisError);
  return err as AnalysisError;
}

describe('describeIncident in process', () => {
  it('writes the story in one LLM call and reports model, usage and prompt version', async () => {
    const result = await analyzerFor(standIn.get()).describeIncident(cascade);
    expect(result).toMatchObject({ model: 'Qwen/QwQ-32B', promptVersion: 'incident-v1', llmCalls: 1, demo: false });
    expect(result.story).toEqual(expectedStory('en'));
    expect(result.story).toMatchObject({ title: 'Error share up in checkout and 1 more service', severity: 'critical', affectedServices: ['checkout', 'payment-api'] });
    expect(result.usage.promptTokens).toBeGreaterThan(0);
    expect(result.usage.completionTokens).toBeGreaterThan(0);
    expect(result.usage.reasoningTokens).toBeGreaterThan(0);
    expect(standIn.get().stats()).toMatchObject({ calls: 1, incidentCalls: 1 });
  });

  it('writes the request language, else the configured one', async () => {
    const zh = await analyzerFor(standIn.get(), { language: 'en' }).describeIncident({ ...cascade, language: 'zh-CN' });
    expect(zh.story.title).toBe('checkout 出现错误占比上升（另有 1 个服务受影响）');
    standIn.get().reset();
    const fallback = await analyzerFor(standIn.get(), { language: 'zh-CN' }).describeIncident(cascade);
    expect(fallback.story).toEqual(expectedStory('zh-CN'));
  });

  it('never sends a secret from samples, templates or verdicts', async () => {
    const shapes = SECRET_SHAPES.slice(0, 12);
    const signals = shapes.map((shape, i) => buildSignal({ service: `svc-${i}`, template: shape.line, samples: [shape.line, `again ${shape.line}`], verdict: { summary: shape.line, severity: 'high' } }));
    await analyzerFor(standIn.get()).describeIncident(buildIncident(signals));
    const sent = everythingSent(standIn.get().requests());
    for (const shape of shapes) expect(sent, shape.name).not.toContain(shape.secret);
  });

  it('strips <think> reasoning and reads reasoning_content apart', async () => {
    standIn.get().queueFaults([{ kind: 'think_inline' }, { kind: 'reasoning_content' }]);
    const analyzer = analyzerFor(standIn.get(), { provider: { name: 's', baseUrl: standIn.get().baseUrl, apiKey: 'sk-test-stand-in-key-0001', model: 'plain-model' } });
    const inline = await analyzer.describeIncident(cascade);
    expect(inline.story).toEqual(expectedStory('en'));
    const apart = await analyzer.describeIncident(cascade);
    expect(apart.story).toEqual(expectedStory('en'));
    expect(apart.usage.reasoningTokens).toBeGreaterThan(0);
  });

  it('repairs one invalid reply, and fails INTERNAL when the repair is invalid too', async () => {
    standIn.get().queueFaults([{ kind: 'malformed' }]);
    const analyzer = analyzerFor(standIn.get());
    const repaired = await analyzer.describeIncident(cascade);
    expect(repaired.llmCalls).toBe(2);
    expect(repaired.story).toEqual(expectedStory('en'));
    expect(userMessages(standIn.get().requests()[1])[1]).toMatch(/^Your previous reply was invalid:/);
    standIn.get().reset();
    standIn.get().queueFaults([{ kind: 'bad_schema' }, { kind: 'missing_result' }]);
    const err = await failure(analyzer.describeIncident(cascade));
    expect(err.code).toBe('internal');
    expect(err.message).toContain('never produced a valid incident story');
    expect(standIn.get().stats().incidentCalls).toBe(2);
  });

  it('raises the budget once when the story is cut at max_tokens, never accepting cut JSON', async () => {
    standIn.get().queueFaults([{ kind: 'truncated' }]);
    const result = await analyzerFor(standIn.get(), { maxTokens: 1000 }).describeIncident(cascade);
    expect(result.llmCalls).toBe(2);
    expect(standIn.get().requests().map((r) => r.maxTokens)).toEqual([1000, 2000]);
  });

  it('retries provider failures like an analysis and gives up as unavailable', async () => {
    standIn.get().queueFaults([{ kind: 'server_error' }]);
    const result = await analyzerFor(standIn.get()).describeIncident(cascade);
    expect(result.llmCalls).toBe(2);
    standIn.get().queueFaults(Array.from({ length: 4 }, () => ({ kind: 'unavailable' as const })));
    expect((await failure(analyzerFor(standIn.get(), { maxRetries: 2 }).describeIncident(cascade))).code).toBe('unavailable');
  });

  it('refuses requests that break the limits without calling the model', async () => {
    const analyzer = analyzerFor(standIn.get());
    const bad: DescribeIncidentRequest[] = [
      buildIncident(Array.from({ length: 21 }, () => buildSignal())),
      buildIncident([buildSignal({ samples: ['a', 'b', 'c', 'd'] })]),
      buildIncident([buildSignal({ samples: ['x'.repeat(16_385)] })]),
      buildIncident([buildSignal({ service: 's'.repeat(201) })]),
      buildIncident([]),
      buildIncident([buildSignal({ kind: 'meteor' as 'rate_spike' })]),
      buildIncident([buildSignal({ startedAt: 'yesterday' })]),
      buildIncident([buildSignal()], { incidentId: '' }),
      buildIncident([buildSignal()], { language: 'fr' as 'en' }),
    ];
    for (const request of bad) expect((await failure(analyzer.describeIncident(request))).code).toBe('invalid');
    expect(standIn.get().stats().calls).toBe(0);
  });

  it('waits with not_configured while no provider is set', async () => {
    const err = await failure(analyzerFor(standIn.get(), { provider: undefined }).describeIncident(cascade));
    expect(err.code).toBe('not_configured');
  });
});

describe('DescribeIncident over gRPC', () => {
  const TOKEN = 'incident-token';
  let service: RunningAiService;
  let client: AnalysisClient;
  beforeAll(async () => {
    service = await startAiService({ ...standInOptions(standIn.get()), host: '127.0.0.1', port: 0, token: TOKEN, demo: true }, { retryBaseMs: 5 });
    client = createAnalysisClient({ url: `127.0.0.1:${service.port}`, token: TOKEN, deadlineMs: 5000 });
  });
  afterAll(async () => {
    client.close();
    await service.close();
  });

  it('round-trips the evidence and the story', async () => {
    const result = await client.describeIncident(cascade, { language: 'en', requestId: 'story-1' });
    expect(result).toMatchObject({ promptVersion: 'incident-v1', llmCalls: 1, demo: true, model: 'Qwen/QwQ-32B' });
    expect(result.story).toEqual(expectedStory('en'));
    expect(result.usage.promptTokens).toBeGreaterThan(0);
    // The verdict and every signal crossed the wire.
    const sent = parseIncidentBlock(userMessages(standIn.get().requests()[0])[0] ?? '');
    expect(sent?.signals.map((s) => [s.kind, s.service, s.verdict?.severity])).toEqual([['error_share', 'checkout', undefined], ['new_template', 'payment-api', 'critical']]);
  });

  it('uses the client language when the request names none, and the request language over it', async () => {
    expect((await client.describeIncident(cascade, { language: 'zh-CN', requestId: 'story-2' })).story.title).toContain('出现');
    expect((await client.describeIncident({ ...cascade, language: 'en' }, { language: 'zh-CN', requestId: 'story-3' })).story.title).toContain(' in ');
  });

  it('maps a bad request to INVALID_ARGUMENT (not retryable) and a wrong token to unauthenticated', async () => {
    const err = await client.describeIncident(buildIncident(Array.from({ length: 21 }, () => buildSignal())), { requestId: 'bad' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AnalysisCallError);
    expect(err).toMatchObject({ code: 'invalid', retryable: false });
    const stranger = createAnalysisClient({ url: `127.0.0.1:${service.port}`, token: 'wrong', deadlineMs: 5000 });
    const denied = await stranger.describeIncident(cascade, { requestId: 'x' }).catch((e: unknown) => e);
    stranger.close();
    expect(denied).toMatchObject({ code: 'unauthenticated' });
  });

  it('maps a story that never validates to INTERNAL, which the worker may retry', async () => {
    standIn.get().queueFaults([{ kind: 'malformed' }, { kind: 'malformed' }]);
    const err = await client.describeIncident(cascade, { requestId: 'never' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'internal', retryable: true });
  });
});
