import OpenAI, { APIError } from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { analyseLog, startStandIn, type Fault, type StandIn } from '../src/index.js';
import { buildBody, buildLog, buildMessages, control, openaiClient, postCompletion, resultsOf, type TestLog } from './factories.js';

let standIn: StandIn;
let client: OpenAI;
const logs: TestLog[] = [buildLog(), buildLog({ level: 'warn', message: 'retrying upload' }), buildLog({ level: 'info', message: 'job done' })];
const expected = logs.map((l) => ({ id: l.id, ...analyseLog(l, 'en') }));

beforeAll(async () => {
  standIn = await startStandIn();
  client = openaiClient(standIn);
});
afterEach(() => standIn.reset());
afterAll(async () => {
  await standIn.close();
});

/** Queues one fault and sends one completion through the openai client. */
async function withFault(fault: Fault, params: Partial<OpenAI.Chat.ChatCompletionCreateParamsNonStreaming> = {}) {
  standIn.queueFaults([fault]);
  const completion = await client.chat.completions.create({ model: 'Qwen/Qwen2.5-7B-Instruct', messages: buildMessages(logs), ...params });
  const choice = completion.choices[0]!;
  const message = choice.message as typeof choice.message & { reasoning_content?: string };
  return { completion, choice, content: message.content ?? '', reasoning: message.reasoning_content };
}

async function rejection(fault: Fault): Promise<APIError> {
  standIn.queueFaults([fault]);
  const err: unknown = await client.chat.completions.create({ model: 'm', messages: buildMessages(logs) }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(APIError);
  return err as APIError;
}

describe('status faults', () => {
  it('rate_limit answers 429 with Retry-After, 1 second by default', async () => {
    const withParam = await rejection({ kind: 'rate_limit', param: 7 });
    expect(withParam).toBeInstanceOf(OpenAI.RateLimitError);
    expect(withParam.headers?.get('retry-after')).toBe('7');
    expect((await rejection({ kind: 'rate_limit' })).headers?.get('retry-after')).toBe('1');
  });

  it('rate_limit_bare answers 429 without Retry-After', async () => {
    const err = await rejection({ kind: 'rate_limit_bare' });
    expect(err.status).toBe(429);
    expect(err.headers?.get('retry-after')).toBeNull();
  });

  it('server_error and unavailable answer 500 and 503 in OpenAI error shape', async () => {
    expect((await rejection({ kind: 'server_error' })).status).toBe(500);
    expect((await rejection({ kind: 'unavailable' })).status).toBe(503);
    const { json } = await postCompletion(standIn, buildBody(logs), { 'x-stand-in-fault': 'unavailable' });
    expect(json.error).toEqual({ message: expect.any(String), type: 'server_error', code: 'service_unavailable' });
  });
});

describe('content faults', () => {
  it('malformed content holds no JSON object at all', async () => {
    const { content } = await withFault({ kind: 'malformed' });
    expect(() => void JSON.parse(content)).toThrow();
    expect(content).not.toContain('{');
  });

  it('fenced wraps the correct JSON in ```json fences after a sentence', async () => {
    const { content } = await withFault({ kind: 'fenced' });
    const match = /^[^`]+```json\n([\s\S]*)\n```$/.exec(content);
    expect(match).not.toBeNull();
    expect(resultsOf(match?.[1])).toEqual(expected);
  });

  it('think_inline puts a <think> block before the JSON', async () => {
    const { content, reasoning, completion } = await withFault({ kind: 'think_inline' });
    expect(content.startsWith('<think>')).toBe(true);
    expect(resultsOf(content.slice(content.indexOf('</think>') + '</think>'.length))).toEqual(expected);
    expect(reasoning).toBeUndefined();
    expect(completion.usage?.completion_tokens).toBe(Math.ceil(content.length / 4));
  });

  it('think_unopened closes a <think> block that was never opened', async () => {
    const { content } = await withFault({ kind: 'think_unopened' }, { model: 'Qwen/QwQ-32B' });
    expect(content).not.toContain('<think>');
    const end = content.indexOf('</think>');
    expect(end).toBeGreaterThan(0);
    expect(resultsOf(content.slice(end + '</think>'.length))).toEqual(expected);
  });

  it('reasoning_content separates reasoning even for a non-reasoning model', async () => {
    const { content, reasoning, completion } = await withFault({ kind: 'reasoning_content' });
    expect(reasoning?.length).toBeGreaterThan(0);
    expect(resultsOf(content)).toEqual(expected);
    expect(completion.usage?.completion_tokens_details?.reasoning_tokens).toBe(Math.ceil((reasoning ?? '').length / 4));
  });

  it('length spends the whole budget on reasoning and answers nothing', async () => {
    const { choice, content, completion } = await withFault({ kind: 'length' }, { max_tokens: 512 });
    expect(choice.finish_reason).toBe('length');
    expect(content).toBe('');
    expect(completion.usage?.completion_tokens_details?.reasoning_tokens).toBe(512);
  });

  it('length_below:N fails below the budget N and answers normally from N on', async () => {
    const below = await withFault({ kind: 'length_below', param: 2000 }, { max_tokens: 1999 });
    expect([below.choice.finish_reason, below.content]).toEqual(['length', '']);
    const at = await withFault({ kind: 'length_below', param: 2000 }, { max_tokens: 2000 });
    expect(at.choice.finish_reason).toBe('stop');
    expect(resultsOf(at.content)).toEqual(expected);
    const completionTokens = await withFault({ kind: 'length_below', param: 2000 }, { max_completion_tokens: 4000 });
    expect(completionTokens.choice.finish_reason).toBe('stop');
  });

  it('truncated cuts the JSON in the middle with finish_reason length', async () => {
    const full = (await withFault({ kind: 'slow', param: 0 })).content;
    const { choice, content } = await withFault({ kind: 'truncated' });
    expect(choice.finish_reason).toBe('length');
    expect(content.length).toBeGreaterThan(0);
    expect(full.startsWith(content)).toBe(true);
    expect(content.length).toBeLessThan(full.length);
    expect(() => void JSON.parse(content)).toThrow();
  });

  it('missing_result leaves out the last log', async () => {
    expect(resultsOf((await withFault({ kind: 'missing_result' })).content)).toEqual(expected.slice(0, -1));
  });

  it('bad_schema marks every entry with severity "urgent"', async () => {
    const results = resultsOf((await withFault({ kind: 'bad_schema' })).content);
    expect(results.map((r) => r.severity)).toEqual(logs.map(() => 'urgent'));
    expect(results.map((r) => r.id)).toEqual(logs.map((l) => l.id));
  });
});

describe('delays', () => {
  it('slow answers normally once its time has passed', async () => {
    const { content } = await withFault({ kind: 'slow', param: 20 });
    expect(resultsOf(content)).toEqual(expected);
  });

  it('slow and the global delay outlast a client timeout shorter than them', async () => {
    const impatient = openaiClient(standIn, { timeout: 200 });
    standIn.queueFaults([{ kind: 'slow', param: 60_000 }]);
    await expect(impatient.chat.completions.create({ model: 'm', messages: buildMessages(logs) })).rejects.toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    expect((await control(standIn, 'PUT', 'delay', { ms: 60_000 })).json).toEqual({ ms: 60_000 });
    await expect(impatient.chat.completions.create({ model: 'm', messages: buildMessages(logs) })).rejects.toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    expect(standIn.stats().byStatus).toEqual({});
    expect((await control(standIn, 'PUT', 'delay', { ms: -1 })).status).toBe(400);
  });
});

describe('fault sources', () => {
  it('the queue is FIFO and each fault is consumed by one request', async () => {
    const queued = await control(standIn, 'POST', 'faults', { faults: [{ kind: 'server_error' }, { kind: 'unavailable' }] });
    expect(queued.json).toEqual({ queued: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await postCompletion(standIn, buildBody(logs))).status);
    expect(statuses).toEqual([500, 503, 200]);
  });

  it('a fault applies to its request only, not to the repair that follows', async () => {
    standIn.queueFaults([{ kind: 'malformed' }]);
    const first = await postCompletion(standIn, buildBody(logs));
    const repair = await postCompletion(standIn, buildBody(logs, {}, { repairOf: first.json.choices[0].message.content }));
    expect(resultsOf(repair.json.choices[0].message.content)).toEqual(expected);
    expect(standIn.requests().map((r) => r.fault?.kind)).toEqual(['malformed', undefined]);
  });

  it('rejects an invalid fault list whole, and DELETE clears the queue', async () => {
    const bad = await control(standIn, 'POST', 'faults', { faults: [{ kind: 'server_error' }, { kind: 'slow' }] });
    expect(bad.status).toBe(400);
    expect(() => standIn.queueFaults([{ kind: 'length_below' }])).toThrow(/param/);
    await control(standIn, 'POST', 'faults', { faults: [{ kind: 'server_error' }] });
    expect((await control(standIn, 'DELETE', 'faults')).json).toEqual({ queued: 0 });
    expect((await postCompletion(standIn, buildBody(logs))).status).toBe(200);
  });

  it('the header overrides the queue and leaves it untouched', async () => {
    standIn.queueFaults([{ kind: 'unavailable' }]);
    const viaHeader = await postCompletion(standIn, buildBody(logs), { 'x-stand-in-fault': 'rate_limit:4' });
    expect([viaHeader.status, viaHeader.headers.get('retry-after')]).toEqual([429, '4']);
    expect((await postCompletion(standIn, buildBody(logs))).status).toBe(503);
  });

  it('a token planted in a log line applies to every request carrying it, repairs included', async () => {
    standIn.queueFaults([{ kind: 'server_error' }]);
    const planted = [buildLog({ message: 'upstream said stand-in-fault:unavailable' })];
    expect((await postCompletion(standIn, buildBody(planted))).status).toBe(503);
    expect((await postCompletion(standIn, buildBody(planted, {}, { repairOf: 'x' }))).status).toBe(503);
    expect((await postCompletion(standIn, buildBody(planted), { 'x-stand-in-fault': 'bad_schema' })).status).toBe(200);
    // The queued fault waited for the first request without a header or planted token.
    expect((await postCompletion(standIn, buildBody(logs))).status).toBe(500);
    expect(standIn.requests().map((r) => r.fault?.kind)).toEqual(['unavailable', 'unavailable', 'bad_schema', 'server_error']);
  });
});
