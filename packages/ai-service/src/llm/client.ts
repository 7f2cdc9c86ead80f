// The only place that sends requests to the LLM provider: the OpenAI SDK with its own retries
// off (maxRetries: 0) and an explicit timeout, behind our retry loop, the shared limiter and the
// circuit breaker.
import OpenAI from 'openai';
import { AnalysisError } from '../errors.js';
import type { AiServiceOptions, Logger, ProviderOptions } from '../options.js';
import type { ChatMessage } from '../prompts/v1.js';
import type { CircuitBreaker } from './breaker.js';
import type { Clock } from './clock.js';
import type { RateLimiter } from './limiter.js';
import { backoffMs, classifyFailure, isOutage, isRetryable, type Failure } from './retry.js';
import { createStats, type CallContext, type Completion, type LlmStats } from './stats.js';

export type { CallContext, Completion, LlmStats } from './stats.js';

export interface LlmDeps {
  clock: Clock;
  limiter: RateLimiter;
  breaker: CircuitBreaker;
}

export interface LlmClient {
  /** Sends one conversation, retrying transient failures; throws AnalysisError when it gives up. */
  complete(messages: ChatMessage[], maxTokens: number, ctx: CallContext): Promise<Completion>;
  readonly stats: LlmStats;
}

/** Longest Retry-After the loop waits inside one call; longer ones go back to the caller. */
const MAX_INLINE_WAIT_MS = 30_000;

// What the limiter reserves before the answer is known: the prompt (about 3 characters a token)
// and part of the completion budget; settled with the real usage afterwards.
const tokensFor = (messages: ChatMessage[], maxTokens: number): number =>
  Math.ceil(messages.reduce((n, m) => n + m.content.length, 0) / 3) + Math.min(maxTokens, 1024);

type Settings = Pick<AiServiceOptions, 'timeoutMs' | 'maxRetries'> & { retryBaseMs: number; jsonMode: boolean; log: Logger };

/** The error the loop ends with once it stops retrying `failure`. */
function giveUp(failure: Failure, waitMs: number, breaker: CircuitBreaker): AnalysisError {
  if (failure.kind === 'rate_limit') return new AnalysisError('rate_limited', failure.message, waitMs);
  if (isOutage(failure.kind)) return new AnalysisError('unavailable', failure.message, Math.max(waitMs, breaker.retryInMs()));
  if (failure.kind === 'auth') return new AnalysisError('not_configured', `the provider rejected the API key: ${failure.message}`);
  return new AnalysisError('internal', failure.message);
}

/** Creates the provider client for `provider`. */
export function createLlmClient(provider: ProviderOptions, settings: Settings, deps: LlmDeps): LlmClient {
  // Local servers (Ollama, vLLM) need no key, but the SDK refuses an empty one.
  const sdk = new OpenAI({ baseURL: provider.baseUrl, apiKey: provider.apiKey || 'unused', maxRetries: 0, timeout: settings.timeoutMs });
  const stats = createStats();
  let jsonMode = settings.jsonMode;

  const send = async (messages: ChatMessage[], maxTokens: number, ctx: CallContext): Promise<Completion> => {
    const request = { model: provider.model, messages, max_tokens: maxTokens, temperature: 0.1 };
    const body = jsonMode ? { ...request, response_format: { type: 'json_object' as const } } : request;
    const reservation = await deps.limiter.acquire(tokensFor(messages, maxTokens));
    ctx.calls += 1;
    stats.requestsTotal += 1;
    const res = await sdk.chat.completions.create(body, { timeout: settings.timeoutMs, signal: ctx.signal ?? null });
    const completion = stats.record(res, ctx);
    reservation.settle(completion.usage.prompt + completion.usage.completion);
    return completion;
  };

  const admit = (messages: ChatMessage[], maxTokens: number): void => {
    // A long wait (a provider's Retry-After, a spent minute budget) goes back to the worker, which
    // re-delays the job, instead of holding the call past its deadline.
    const delay = deps.limiter.delayFor(tokensFor(messages, maxTokens));
    if (delay > MAX_INLINE_WAIT_MS) throw new AnalysisError('rate_limited', 'waiting for the provider rate limit', delay);
    const gate = deps.breaker.admit();
    if (!gate.ok) throw new AnalysisError('unavailable', 'circuit open: the LLM provider failed repeatedly', gate.retryInMs);
  };

  const complete = async (messages: ChatMessage[], maxTokens: number, ctx: CallContext): Promise<Completion> => {
    for (let attempt = 0; ; attempt++) {
      admit(messages, maxTokens);
      try {
        const completion = await send(messages, maxTokens, ctx);
        deps.breaker.success();
        return completion;
      } catch (err) {
        if (ctx.signal?.aborted) {
          // Nothing was learnt about the provider; a half-open trial slot must not stay taken.
          deps.breaker.release();
          throw new AnalysisError('deadline', 'the caller gave up');
        }
        const failure = classifyFailure(err, deps.clock.now());
        if (isOutage(failure.kind)) deps.breaker.failure();
        else deps.breaker.success();
        stats.fail(failure.message);
        // Some OpenAI-compatible servers reject response_format; validation does not need it.
        if (failure.kind === 'client' && failure.status === 400 && jsonMode) {
          settings.log.warn({ err: failure.message }, 'provider rejected response_format json_object; sending without it');
          jsonMode = false;
          attempt--;
          continue;
        }
        const wait = failure.retryAfterMs ?? backoffMs(attempt, settings.retryBaseMs);
        if (failure.kind === 'rate_limit') deps.limiter.pauseUntil(deps.clock.now() + wait);
        if (!isRetryable(failure.kind) || attempt >= settings.maxRetries || wait > MAX_INLINE_WAIT_MS) {
          throw giveUp(failure, wait, deps.breaker);
        }
        await deps.clock.sleep(wait);
        if (ctx.signal?.aborted) throw new AnalysisError('deadline', 'the caller gave up');
      }
    }
  };

  return { complete, stats };
}
