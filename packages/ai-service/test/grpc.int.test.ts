import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalysisCallError } from '../src/errors.js';
import { createAnalysisClient, type AnalysisClient } from '../src/grpc/client.js';
import { startAiService, type RunningAiService } from '../src/grpc/server.js';
import { REQUEST_LIMITS } from '../src/request.js';
import { buildLog, buildLogs } from './factories.js';
import { standInOptions, useStandIn } from './stand-in.js';

const standIn = useStandIn();
const TOKEN = 'grpc-shared-token';
const running: RunningAiService[] = [];
const clients: AnalysisClient[] = [];

async function start(over: Parameters<typeof startAiService>[0] extends infer O ? Partial<O> : never = {}) {
  const service = await startAiService({ ...standInOptions(standIn.get()), host: '127.0.0.1', port: 0, token: TOKEN, ...over }, { retryBaseMs: 5 });
  running.push(service);
  return service;
}

function connect(port: number, token: string | undefined = TOKEN, deadlineMs = 5000) {
  const client = createAnalysisClient({ url: `127.0.0.1:${port}`, token, deadlineMs });
  clients.push(client);
  return client;
}

async function failure(promise: Promise<unknown>): Promise<AnalysisCallError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AnalysisCallError);
  return err as AnalysisCallError;
}

afterAll(async () => {
  for (const c of clients) c.close();
  await Promise.all(running.map((s) => s.close()));
});

describe('gRPC AnalysisService', () => {
  let client: AnalysisClient;
  beforeAll(async () => {
    client = connect((await start()).port);
  });

  it('analyses a batch over a real port', async () => {
    const logs = [buildLog({ level: 'error', message: 'OutOfMemoryError: Java heap space' }), buildLog({ level: 'info', message: 'user 42 logged in' })];
    const result = await client.analyze(logs, { language: 'en', requestId: 'req-1' });
    expect(result).toMatchObject({ status: 'ok', missing: [], promptVersion: 'v2', llmCalls: 1, demo: false, model: 'Qwen/QwQ-32B' });
    expect(result.results.map((r) => r.logId).sort()).toEqual(logs.map((l) => l.id).sort());
    for (const r of result.results) expect(['critical', 'high', 'medium', 'low', 'info']).toContain(r.severity);
    expect(result.usage.promptTokens).toBeGreaterThan(0);
  });

  it('reports PARTIAL and the missing ids', async () => {
    standIn.get().queueFaults([{ kind: 'missing_result' }]);
    const logs = buildLogs(3);
    const result = await client.analyze(logs, { requestId: 'req-2' });
    expect(result.status).toBe('partial');
    expect(result.missing).toEqual([logs[2]?.id]);
  });

  it('serves the standard health service, without the token too', async () => {
    expect(await client.health()).toBe(true);
    expect(await connect(running[0]!.port, '').health()).toBe(true);
  });

  it('fills every status field', async () => {
    const status = await client.status();
    expect(status).toMatchObject({ configured: true, reason: '', provider: 'stand-in', model: 'Qwen/QwQ-32B', circuitState: 'closed', circuitRetryInMs: 0, demo: false, lastError: '' });
    expect(status.baseUrl).toBe(standIn.get().baseUrl);
    expect(status.requestsTotal).toBeGreaterThan(0);
    expect(status.usageTotal.promptTokens).toBeGreaterThan(0);
  });

  it.each([
    ['no token', ''],
    ['a wrong token', 'not-the-token'],
  ])('refuses calls with %s', async (_name, token) => {
    const anonymous = connect(running[0]!.port, token);
    const err = await failure(anonymous.analyze(buildLogs(1), { requestId: 'x' }));
    expect(err).toMatchObject({ code: 'unauthenticated', retryable: false });
    expect((await failure(anonymous.status())).code).toBe('unauthenticated');
  });

  it.each([
    ['an empty batch', () => []],
    ['more than 100 logs', () => buildLogs(REQUEST_LIMITS.maxLogs + 1)],
    ['a missing id', () => [buildLog({ id: '' })]],
    ['duplicate ids', () => [buildLog({ id: 'same' }), buildLog({ id: 'same' })]],
    ['an oversize message', () => [buildLog({ message: 'x'.repeat(REQUEST_LIMITS.maxMessageChars + 1) })]],
  ])('answers INVALID_ARGUMENT for %s', async (_name, logs) => {
    const err = await failure(client.analyze(logs(), { requestId: 'bad' }));
    expect(err).toMatchObject({ code: 'invalid', retryable: false });
  });

  it('maps an answer that never validates to INTERNAL with the reason', async () => {
    const err = await failure(client.analyze([buildLog({ message: 'stand-in-fault:bad_schema' })], { requestId: 'r' }));
    expect(err.code).toBe('internal');
    expect(err.message).toMatch(/never produced a valid answer/);
  });
});

describe('gRPC error mapping', () => {
  it('answers FAILED_PRECONDITION with the reason while no provider is configured', async () => {
    const client = connect((await start({ provider: undefined })).port);
    const err = await failure(client.analyze(buildLogs(1), { requestId: 'r' }));
    expect(err).toMatchObject({ code: 'not_configured', retryable: false });
    expect(err.message).toMatch(/SILICONFLOW_API_TOKEN/);
    expect(await client.status()).toMatchObject({ configured: false, provider: '', model: '', baseUrl: '' });
  });

  it('answers UNAVAILABLE with retry-after-ms while the circuit is open, and status shows it', async () => {
    const client = connect((await start({ maxRetries: 0, circuitFailures: 1, circuitCooldownMs: 45_000 })).port);
    standIn.get().queueFaults([{ kind: 'unavailable' }]);
    await failure(client.analyze(buildLogs(1), { requestId: 'r' }));
    const calls = standIn.get().stats().calls;
    const err = await failure(client.analyze(buildLogs(1), { requestId: 'r' }));
    expect(err).toMatchObject({ code: 'unavailable', retryable: true });
    expect(err.retryAfterMs).toBeGreaterThan(0);
    expect(err.retryAfterMs).toBeLessThanOrEqual(45_000);
    expect(standIn.get().stats().calls).toBe(calls);
    expect(await client.status()).toMatchObject({ circuitState: 'open', failuresTotal: 1 });
  });

  it('maps a long 429 to RESOURCE_EXHAUSTED with retry-after-ms and holds later calls without sending them', async () => {
    const client = connect((await start()).port);
    standIn.get().queueFaults([{ kind: 'rate_limit', param: 90 }]);
    const err = await failure(client.analyze(buildLogs(1), { requestId: 'r' }));
    expect(err).toMatchObject({ code: 'rate_limited', retryAfterMs: 90_000, retryable: true });
    const later = await failure(client.analyze(buildLogs(1), { requestId: 'r2' }));
    expect(later.code).toBe('rate_limited');
    expect(later.retryAfterMs).toBeGreaterThan(30_000);
    expect(standIn.get().stats().calls).toBe(1);
  });

  it('reports a request over the gRPC size limit as invalid', async () => {
    const client = connect((await start()).port);
    const attributes = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, 'v'.repeat(4000)]));
    const err = await failure(client.analyze(buildLogs(40, { attributes }), { requestId: 'big' }));
    expect(err).toMatchObject({ code: 'invalid', retryable: false });
    expect(standIn.get().stats().calls).toBe(0);
  });

  it('reports the client deadline as deadline', async () => {
    const { port } = await start({ timeoutMs: 10_000 });
    standIn.get().queueFaults([{ kind: 'hang' }]);
    const err = await failure(connect(port, TOKEN, 300).analyze(buildLogs(1), { requestId: 'slow' }));
    expect(err).toMatchObject({ code: 'deadline', retryable: true });
  });

  it('says demo in responses and status in demo mode', async () => {
    const client = connect((await start({ demo: true })).port);
    expect(await client.analyze(buildLogs(1), { requestId: 'd' })).toMatchObject({ demo: true });
    expect(await client.status()).toMatchObject({ demo: true });
  });

  it('reports a server that is not there as unavailable and unhealthy', async () => {
    const service = await start();
    await service.close();
    const client = connect(service.port, TOKEN, 1000);
    expect(await client.health()).toBe(false);
    expect(await failure(client.analyze(buildLogs(1), { requestId: 'gone' }))).toMatchObject({ code: 'unavailable', retryable: true });
  });
});
