import { Metadata } from '@grpc/grpc-js';
import type { StandIn } from '@logsage/llm-stand-in';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalysisCallError, AnalysisError } from '../src/errors.js';
import { createAnalysisClient, type AnalysisClient } from '../src/grpc/client.js';
import { SPENT_KEYS, spentFromMetadata, spentToMetadata } from '../src/grpc/convert.js';
import { startAiService, type RunningAiService } from '../src/grpc/server.js';
import { buildLog, buildLogs } from './factories.js';
import { buildIncident, buildSignal } from './incident-factories.js';
import { MODEL, analyzerFor, standInOptions, useStandIn } from './stand-in.js';

// A call that fails after the provider answered (invalid even after the repair, cut at the raised
// budget, rejected) still cost tokens: the error carries them, in-process and over gRPC, so the
// worker can count them in the daily budget. The stand-in's own counters are the truth.

const standIn = useStandIn();
let service: RunningAiService;
let client: AnalysisClient;

beforeAll(async () => {
  service = await startAiService({ ...standInOptions(standIn.get()), host: '127.0.0.1', port: 0 }, { retryBaseMs: 5 });
  client = createAnalysisClient({ url: `127.0.0.1:${service.port}`, deadlineMs: 10_000 });
});
afterAll(async () => {
  client.close();
  await service.close();
});

async function failure<E>(promise: Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(type);
  return err as E;
}

/** What the stand-in counted, in the error's shape. */
const counted = (s: StandIn) => {
  const st = s.stats();
  return { usage: { promptTokens: st.promptTokens, completionTokens: st.completionTokens, reasoningTokens: st.reasoningTokens }, llmCalls: st.calls, model: MODEL };
};

describe('the spend of a failed call', () => {
  it('rides on the in-process AnalysisError when even the repair is invalid', async () => {
    const err = await failure(analyzerFor(standIn.get()).analyze({ logs: buildLogs(2, { message: 'odd line stand-in-fault:malformed' }) }), AnalysisError);
    expect(err.code).toBe('internal');
    expect(err).toMatchObject(counted(standIn.get()));
    expect(err.llmCalls).toBe(2);
    expect(err.usage?.promptTokens).toBeGreaterThan(0);
  });

  it('reaches the gRPC client for an answer that never validates', async () => {
    const err = await failure(client.analyze(buildLogs(3, { message: 'odd line stand-in-fault:malformed' }), { requestId: 'bad-1' }), AnalysisCallError);
    expect(err).toMatchObject({ code: 'internal', retryable: true });
    expect(err).toMatchObject(counted(standIn.get()));
    expect(err.llmCalls).toBe(2);
    expect(err.usage?.completionTokens).toBeGreaterThan(0);
  });

  it('reaches the gRPC client for a single log cut at the raised budget, reasoning tokens included', async () => {
    const err = await failure(client.analyze([buildLog({ message: 'huge stack trace stand-in-fault:length' })], { requestId: 'cut-1' }), AnalysisCallError);
    expect(err.message).toMatch(/ran out of tokens/);
    expect(err).toMatchObject(counted(standIn.get()));
    expect(err.llmCalls).toBe(2);
    // The stand-in bills max_tokens of reasoning for each cut reply (4096 and then 8192 by default).
    expect(err.usage?.reasoningTokens).toBeGreaterThanOrEqual(4096 + 8192);
  });

  it('reaches the gRPC client for an incident story that never validates', async () => {
    const request = buildIncident([buildSignal({ samples: ['charge 81 failed stand-in-fault:malformed'] })]);
    const err = await failure(client.describeIncident(request, { requestId: 'story-1' }), AnalysisCallError);
    expect(err.message).toMatch(/never produced a valid incident story/);
    expect(err).toMatchObject(counted(standIn.get()));
    expect(err.llmCalls).toBe(2);
    expect(standIn.get().stats().incidentCalls).toBe(2);
  });

  it('counts rejected requests as calls with no tokens', async () => {
    const limited = await startAiService({ ...standInOptions(standIn.get(), { maxRetries: 1 }), host: '127.0.0.1', port: 0 }, { retryBaseMs: 5 });
    const c = createAnalysisClient({ url: `127.0.0.1:${limited.port}`, deadlineMs: 10_000 });
    try {
      standIn.get().queueFaults([{ kind: 'server_error' }, { kind: 'server_error' }]);
      const err = await failure(c.analyze(buildLogs(1), { requestId: 'down-1' }), AnalysisCallError);
      expect(err.code).toBe('unavailable');
      expect(err).toMatchObject({ llmCalls: 2, model: MODEL, usage: { promptTokens: 0, completionTokens: 0, reasoningTokens: 0 } });
      expect(standIn.get().stats().calls).toBe(2);
    } finally {
      c.close();
      await limited.close();
    }
  });

  it('is absent when no request reached the provider', async () => {
    const err = await failure(client.analyze([], { requestId: 'empty' }), AnalysisCallError);
    expect(err.code).toBe('invalid');
    expect(err.usage).toBeUndefined();
    expect(err.llmCalls).toBeUndefined();
    expect(standIn.get().stats().calls).toBe(0);
  });
});

describe('the spend in trailing metadata', () => {
  it('round-trips, model names outside ASCII included', () => {
    const md = new Metadata();
    const spent = { usage: { promptTokens: 120, completionTokens: 30, reasoningTokens: 7 }, llmCalls: 2, model: 'deepseek/模型-r1' };
    spentToMetadata(spent, md);
    expect(spentFromMetadata(md)).toEqual(spent);
  });

  it.each([
    ['a negative count', SPENT_KEYS.promptTokens, '-5'],
    ['a fractional count', SPENT_KEYS.completionTokens, '1.5'],
    ['a count that is not a number', SPENT_KEYS.reasoningTokens, 'lots'],
    ['no calls', SPENT_KEYS.llmCalls, '0'],
    ['no model', SPENT_KEYS.model, ''],
  ])('is ignored with %s', (_name, key, value) => {
    const md = new Metadata();
    spentToMetadata({ usage: { promptTokens: 1, completionTokens: 1, reasoningTokens: 0 }, llmCalls: 1, model: 'm' }, md);
    md.set(key, value);
    expect(spentFromMetadata(md)).toBeUndefined();
  });

  it('is not written for a call that sent nothing', () => {
    const md = new Metadata();
    spentToMetadata({ usage: { promptTokens: 0, completionTokens: 0, reasoningTokens: 0 }, llmCalls: 0, model: 'm' }, md);
    expect(md.get(SPENT_KEYS.llmCalls)).toEqual([]);
  });
});
