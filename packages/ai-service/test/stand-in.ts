// Shared setup for tests against the LLM stand-in: one server per file, reset before each test.
import { startStandIn, type RecordedRequest, type StandIn } from '@logsage/llm-stand-in';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createAnalyzer, type AnalyzerInternals } from '../src/analyzer.js';
import type { AiServiceOptions } from '../src/options.js';

export const API_KEY = 'sk-test-stand-in-key-0001';
export const MODEL = 'Qwen/QwQ-32B';

/** Starts a stand-in for the file and resets it before every test. */
export function useStandIn(): { get(): StandIn } {
  let standIn: StandIn | undefined;
  beforeAll(async () => {
    standIn = await startStandIn({ port: 0, apiKey: API_KEY });
  });
  afterAll(async () => {
    await standIn?.close();
  });
  beforeEach(() => standIn?.reset());
  return {
    get() {
      if (!standIn) throw new Error('stand-in not started');
      return standIn;
    },
  };
}

/** Analyzer options pointing at the stand-in, with short waits for tests. */
export function standInOptions(standIn: StandIn, over: Partial<AiServiceOptions> = {}): Partial<AiServiceOptions> {
  return {
    provider: { name: 'stand-in', baseUrl: standIn.baseUrl, apiKey: API_KEY, model: MODEL },
    timeoutMs: 2000,
    maxRetries: 3,
    ...over,
  };
}

/** An analyzer against the stand-in; backoff in milliseconds so retries stay quick. */
export function analyzerFor(standIn: StandIn, over: Partial<AiServiceOptions> = {}, internals: AnalyzerInternals = {}) {
  return createAnalyzer(standInOptions(standIn, over), { retryBaseMs: 5, ...internals });
}

/** Every message text the stand-in received, joined. */
export function everythingSent(requests: RecordedRequest[]): string {
  return requests.flatMap((r) => r.messages.map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)))).join('\n');
}

/** The user messages of a recorded request. */
export function userMessages(request: RecordedRequest | undefined): string[] {
  return (request?.messages ?? []).filter((m) => m.role === 'user').map((m) => String(m.content));
}
