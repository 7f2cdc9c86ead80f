import type { FaultKind } from '@logsage/llm-stand-in';
import { describe, expect, it } from 'vitest';
import { AnalysisError } from '../src/errors.js';
import { buildLog, buildLogs } from './factories.js';
import { analyzerFor, useStandIn, userMessages } from './stand-in.js';

const standIn = useStandIn();

describe('analysis against the stand-in', () => {
  it('answers one verdict per id in one call, with usage and the prompt version', async () => {
    const logs = buildLogs(3);
    const result = await analyzerFor(standIn.get()).analyze({ logs, requestId: 'r1' });
    expect(result.status).toBe('ok');
    expect(result.results.map((r) => r.logId).sort()).toEqual(logs.map((l) => l.id).sort());
    expect(result).toMatchObject({ llmCalls: 1, promptVersion: 'v2', model: 'Qwen/QwQ-32B', demo: false, missing: [] });
    expect(result.usage.promptTokens).toBeGreaterThan(0);
    expect(result.usage.reasoningTokens).toBeGreaterThan(0);
    expect(standIn.get().stats().calls).toBe(1);
  });

  // Each fault queued once: the loop must recover, with exactly the calls the fault costs.
  const recoverable: [FaultKind | `${FaultKind}:${number}`, number][] = [
    ['rate_limit:0', 2],
    ['rate_limit_bare', 2],
    ['server_error', 2],
    ['unavailable', 2],
    ['hang', 2],
    ['slow:20', 1],
    ['malformed', 2],
    ['fenced', 1],
    ['think_inline', 1],
    ['think_unopened', 1],
    ['reasoning_content', 1],
    ['length', 2],
    ['length_below:1500', 2],
    ['truncated', 2],
    ['bad_schema', 2],
  ];
  it.each(recoverable)('recovers from %s with %i LLM calls', async (spec, calls) => {
    const [kind, param] = spec.split(':') as [FaultKind, string | undefined];
    standIn.get().queueFaults([param === undefined ? { kind } : { kind, param: Number(param) }]);
    const logs = buildLogs(4);
    const result = await analyzerFor(standIn.get(), { timeoutMs: 500, maxTokens: 1000 }).analyze({ logs });
    expect(result.status).toBe('ok');
    expect(result.results).toHaveLength(4);
    expect(result.llmCalls).toBe(calls);
    // The SDK made no calls of its own: the stand-in saw exactly the calls our loop counted.
    expect(standIn.get().stats().calls).toBe(result.llmCalls);
  });

  it('carries key_params that fit the template; one that does not reads as every value and counts a repair', async () => {
    const template = 'retry <*> of request <*> to <*> failed';
    const fits = buildLog({ template, message: 'retry 12 of request 1003 to host-a failed' });
    const result = await analyzerFor(standIn.get()).analyze({ logs: [fits] });
    expect(result.results[0]).toMatchObject({ parameterDependent: true, keyParams: [2] });
    expect(result.repairs).toBe(0);
    const bad = buildLogs(2, { template, message: 'retry 12 of request 1003 to host-a failed stand-in-fault:bad_key_params' });
    const repaired = await analyzerFor(standIn.get()).analyze({ logs: bad });
    expect(repaired.status).toBe('ok');
    expect(repaired.results.map((r) => [r.parameterDependent, r.keyParams])).toEqual([[true, []], [true, []]]);
    expect(repaired.repairs).toBe(2);
    expect(repaired.llmCalls).toBe(1);
  });

  it('answers PARTIAL when the model leaves an id out', async () => {
    standIn.get().queueFaults([{ kind: 'missing_result' }]);
    const logs = buildLogs(3);
    const result = await analyzerFor(standIn.get()).analyze({ logs });
    expect(result.status).toBe('partial');
    expect(result.missing).toEqual([logs[2]?.id]);
    expect(result.results).toHaveLength(2);
  });

  it('asks for a repair by continuing the conversation with the validation error', async () => {
    standIn.get().queueFaults([{ kind: 'bad_schema' }]);
    await analyzerFor(standIn.get()).analyze({ logs: buildLogs(2) });
    const [first, second] = standIn.get().requests();
    expect(second?.messages).toHaveLength((first?.messages.length ?? 0) + 2);
    expect(second?.messages.at(-2)?.role).toBe('assistant');
    const repair = userMessages(second).at(-1) ?? '';
    expect(repair.startsWith('Your previous reply was invalid:')).toBe(true);
    expect(repair).toContain('severity');
  });

  it('never accepts a cut reply: doubles max_tokens once', async () => {
    standIn.get().queueFaults([{ kind: 'truncated' }]);
    await analyzerFor(standIn.get(), { maxTokens: 1000 }).analyze({ logs: buildLogs(2) });
    expect(standIn.get().requests().map((r) => r.maxTokens)).toEqual([1000, 2000]);
  });

  it('splits the batch when the raised budget is not enough, down to the one log that cannot fit', async () => {
    const logs = buildLogs(4);
    logs[3] = { ...logs[3]!, message: 'huge stack trace stand-in-fault:length' };
    const result = await analyzerFor(standIn.get()).analyze({ logs });
    expect(result.status).toBe('partial');
    expect(result.missing).toEqual([logs[3]?.id]);
    expect(result.results.map((r) => r.logId).sort()).toEqual(logs.slice(0, 3).map((l) => l.id).sort());
    // whole batch, whole batch raised, [0,1], [2,3], [2], [3]
    expect(result.llmCalls).toBe(6);
    expect(standIn.get().stats().calls).toBe(6);
  });

  it('gives up with INTERNAL when even the repair is invalid', async () => {
    const logs = buildLogs(2, { message: 'odd line stand-in-fault:malformed' });
    const err = await analyzerFor(standIn.get()).analyze({ logs }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AnalysisError);
    expect(err).toMatchObject({ code: 'internal' });
    expect((err as Error).message).toMatch(/never produced a valid answer/);
    expect(standIn.get().stats().calls).toBe(2);
  });

  it('waits at least Retry-After between a 429 and the next attempt', async () => {
    standIn.get().queueFaults([{ kind: 'rate_limit', param: 1 }]);
    await analyzerFor(standIn.get()).analyze({ logs: buildLogs(1) });
    const [first, second] = standIn.get().requests().map((r) => Date.parse(r.at));
    expect(second! - first!).toBeGreaterThanOrEqual(1000);
  });

  it('reports RESOURCE_EXHAUSTED with the wait when 429 persists', async () => {
    standIn.get().queueFaults([{ kind: 'rate_limit', param: 0 }, { kind: 'rate_limit', param: 0 }, { kind: 'rate_limit', param: 0 }]);
    const err = await analyzerFor(standIn.get(), { maxRetries: 2 }).analyze({ logs: buildLogs(1) }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'rate_limited', retryAfterMs: 0 });
    expect(standIn.get().stats().calls).toBe(3);
  });

  it('hands a long Retry-After back to the caller instead of waiting inside the call', async () => {
    standIn.get().queueFaults([{ kind: 'rate_limit', param: 120 }]);
    const err = await analyzerFor(standIn.get()).analyze({ logs: buildLogs(1) }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'rate_limited', retryAfterMs: 120_000 });
    expect(standIn.get().stats().calls).toBe(1);
  });

  it('reports UNAVAILABLE after maxRetries failed retries', async () => {
    standIn.get().queueFaults(Array.from({ length: 3 }, () => ({ kind: 'server_error' as const })));
    const err = await analyzerFor(standIn.get(), { maxRetries: 2 }).analyze({ logs: buildLogs(1) }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'unavailable' });
    expect((err as AnalysisError).retryAfterMs).toBeGreaterThan(0);
    expect(standIn.get().stats().calls).toBe(3);
  });

  it('does not retry a rejected API key', async () => {
    const wrong = analyzerFor(standIn.get(), {
      provider: { name: 'stand-in', baseUrl: standIn.get().baseUrl, apiKey: 'sk-wrong-key-000000000', model: 'm' },
    });
    const err = await wrong.analyze({ logs: buildLogs(1) }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'not_configured' });
    expect(standIn.get().stats().calls).toBe(1);
    expect(wrong.status()).toMatchObject({ requestsTotal: 1, failuresTotal: 1, circuitState: 'closed' });
  });

  it('answers in the requested language', async () => {
    const result = await analyzerFor(standIn.get()).analyze({ logs: buildLogs(1), language: 'zh-CN' });
    expect(standIn.get().requests()[0]?.messages[0]?.content).toContain('\nOutput language: zh-CN');
    expect(result.results[0]?.summary).toMatch(/[\u4e00-\u9fff]/);
  });
});
