import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { describe, expect, it } from 'vitest';
import { createBreaker } from '../src/llm/breaker.js';
import { createLimiter } from '../src/llm/limiter.js';
import { backoffMs, classifyFailure, isRetryable, parseRetryAfter } from '../src/llm/retry.js';
import { fakeClock } from './factories.js';

describe('limiter', () => {
  it('lets rpm requests through, then waits for the oldest to leave the window', async () => {
    const clock = fakeClock();
    const limiter = createLimiter({ rpm: 2, tpm: 0, clock });
    await limiter.acquire(1);
    clock.advance(10_000);
    await limiter.acquire(1);
    expect(clock.sleeps).toEqual([]);
    await limiter.acquire(1);
    expect(clock.sleeps).toEqual([50_000]);
  });

  it('waits until enough tokens have left the window', async () => {
    const clock = fakeClock();
    const limiter = createLimiter({ rpm: 0, tpm: 1000, clock });
    await limiter.acquire(600);
    clock.advance(5000);
    await limiter.acquire(300);
    expect(limiter.delayFor(200)).toBe(55_000);
    expect(limiter.delayFor(100)).toBe(0);
  });

  it('settles a reservation with the real token count', async () => {
    const clock = fakeClock();
    const limiter = createLimiter({ rpm: 0, tpm: 1000, clock });
    const r = await limiter.acquire(900);
    expect(limiter.delayFor(500)).toBeGreaterThan(0);
    r.settle(100);
    expect(limiter.delayFor(500)).toBe(0);
  });

  it('admits a request larger than the whole budget into an empty window', async () => {
    const clock = fakeClock();
    const limiter = createLimiter({ rpm: 0, tpm: 100, clock });
    await limiter.acquire(5000);
    expect(clock.sleeps).toEqual([]);
  });

  it('holds every caller while paused by a Retry-After', async () => {
    const clock = fakeClock();
    const limiter = createLimiter({ rpm: 0, tpm: 0, clock });
    limiter.pauseUntil(clock.now() + 3000);
    await Promise.all([limiter.acquire(1), limiter.acquire(1)]);
    expect(clock.sleeps).toEqual([3000]);
  });

  it('never waits without limits', async () => {
    const clock = fakeClock();
    const limiter = createLimiter({ rpm: 0, tpm: 0, clock });
    for (let i = 0; i < 100; i++) await limiter.acquire(10_000);
    expect(clock.sleeps).toEqual([]);
  });
});

describe('circuit breaker', () => {
  it('opens after N consecutive failures, half-opens after the cooldown, admits one trial', () => {
    const clock = fakeClock();
    const breaker = createBreaker({ failures: 3, cooldownMs: 10_000, clock });
    for (let i = 0; i < 2; i++) breaker.failure();
    expect(breaker.state()).toBe('closed');
    breaker.failure();
    expect(breaker.state()).toBe('open');
    expect(breaker.admit()).toEqual({ ok: false, retryInMs: 10_000 });
    clock.advance(4000);
    expect(breaker.retryInMs()).toBe(6000);
    clock.advance(6000);
    expect(breaker.state()).toBe('half_open');
    expect(breaker.admit()).toEqual({ ok: true });
    expect(breaker.admit().ok).toBe(false);
    breaker.success();
    expect(breaker.state()).toBe('closed');
    expect(breaker.admit().ok).toBe(true);
  });

  it('reopens at once when the trial fails', () => {
    const clock = fakeClock();
    const breaker = createBreaker({ failures: 2, cooldownMs: 1000, clock });
    breaker.failure();
    breaker.failure();
    clock.advance(1000);
    expect(breaker.admit().ok).toBe(true);
    breaker.failure();
    expect(breaker.state()).toBe('open');
    expect(breaker.retryInMs()).toBe(1000);
  });

  it('resets the count on a success', () => {
    const breaker = createBreaker({ failures: 2, cooldownMs: 1000, clock: fakeClock() });
    breaker.failure();
    breaker.success();
    breaker.failure();
    expect(breaker.state()).toBe('closed');
  });
});

describe('retry rules', () => {
  const now = Date.parse('2026-01-02T03:04:05Z');
  const headers = (h: Record<string, string>) => new Headers(h);

  it('parses Retry-After in seconds, as an HTTP date and as retry-after-ms', () => {
    expect(parseRetryAfter(headers({ 'retry-after': '7' }), now)).toBe(7000);
    expect(parseRetryAfter(headers({ 'retry-after': '1.5' }), now)).toBe(1500);
    expect(parseRetryAfter(headers({ 'retry-after': new Date(now + 12_000).toUTCString() }), now)).toBe(12_000);
    expect(parseRetryAfter(headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now)).toBe(250);
    expect(parseRetryAfter(headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(parseRetryAfter(headers({}), now)).toBeUndefined();
  });

  it('classifies SDK errors', () => {
    const err = (status: number, h: Record<string, string> = {}) => APIError.generate(status, { message: 'x' }, 'x', headers(h));
    expect(classifyFailure(err(429, { 'retry-after': '2' }), now)).toMatchObject({ kind: 'rate_limit', retryAfterMs: 2000 });
    expect(classifyFailure(err(503), now).kind).toBe('server');
    expect(classifyFailure(err(401), now).kind).toBe('auth');
    expect(classifyFailure(err(400), now).kind).toBe('client');
    expect(classifyFailure(new APIConnectionTimeoutError(), now).kind).toBe('timeout');
    expect(classifyFailure(new APIConnectionError({ message: 'refused' }), now).kind).toBe('connection');
    expect(classifyFailure(new TypeError('bug'), now).kind).toBe('client');
    expect(isRetryable('client')).toBe(false);
    expect(isRetryable('auth')).toBe(false);
  });

  it('backs off exponentially with jitter inside [half, full] of the ceiling', () => {
    expect(backoffMs(0, 1000, 30_000, () => 0)).toBe(500);
    expect(backoffMs(0, 1000, 30_000, () => 1)).toBe(1000);
    expect(backoffMs(3, 1000, 30_000, () => 0.5)).toBe(6000);
    expect(backoffMs(10, 1000, 30_000, () => 1)).toBe(30_000);
  });
});
