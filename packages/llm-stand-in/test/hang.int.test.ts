import OpenAI from 'openai';
import { describe, expect, it, vi } from 'vitest';
import { startStandIn } from '../src/index.js';
import { buildBody, buildLog, buildMessages, openaiClient, postCompletion } from './factories.js';

describe('hang', () => {
  it('stays open until the client aborts, then the server carries on', async () => {
    const standIn = await startStandIn();
    try {
      standIn.queueFaults([{ kind: 'hang' }]);
      const abort = new AbortController();
      const pending = openaiClient(standIn)
        .chat.completions.create({ model: 'm', messages: buildMessages([buildLog()]) }, { signal: abort.signal })
        .catch((e: unknown) => e);
      await vi.waitFor(() => expect(standIn.requests()).toHaveLength(1));
      abort.abort();
      expect(await pending).toBeInstanceOf(OpenAI.APIUserAbortError);
      expect(standIn.requests()[0]).toMatchObject({ status: null, fault: { kind: 'hang' } });
      expect(standIn.stats().byStatus).toEqual({});
      expect((await postCompletion(standIn, buildBody([buildLog()]))).status).toBe(200);
    } finally {
      await standIn.close();
    }
  });

  it('ends with a client timeout', async () => {
    const standIn = await startStandIn();
    try {
      const pending = openaiClient(standIn, { timeout: 200 }).chat.completions.create(
        { model: 'm', messages: buildMessages([buildLog()]) },
        { headers: { 'x-stand-in-fault': 'hang' } },
      );
      await expect(pending).rejects.toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    } finally {
      await standIn.close();
    }
  });

  it('is ended by close(), which resolves', async () => {
    const standIn = await startStandIn({ apiKey: 'k' });
    const pending = fetch(`${standIn.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer k', 'x-stand-in-fault': 'hang' },
      body: JSON.stringify(buildBody([buildLog()])),
    }).then(
      () => 'answered',
      () => 'connection ended',
    );
    await vi.waitFor(() => expect(standIn.requests()).toHaveLength(1));
    await standIn.close();
    expect(await pending).toBe('connection ended');
    // close() is idempotent, and the port no longer answers.
    await standIn.close();
    await expect(fetch(`${standIn.url}/_stand-in/stats`)).rejects.toThrow();
  });

  it('close() also ends delayed answers and idle keep-alive connections', async () => {
    const standIn = await startStandIn({ delayMs: 60_000 });
    const idle = await fetch(`${standIn.url}/_stand-in/stats`);
    expect(idle.status).toBe(200);
    await idle.text();
    const pending = postCompletion(standIn, buildBody([buildLog()])).then(
      () => 'answered',
      () => 'connection ended',
    );
    await vi.waitFor(() => expect(standIn.requests()).toHaveLength(1));
    await standIn.close();
    expect(await pending).toBe('connection ended');
  });
});
