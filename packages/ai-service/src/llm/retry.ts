// Classification of provider failures and the waits between attempts. One retry layer per hop
// (GUIDE §5): the SDK's own retries are off and these rules decide alone.
import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';

export type FailureKind = 'rate_limit' | 'server' | 'connection' | 'timeout' | 'auth' | 'client';

export interface Failure {
  kind: FailureKind;
  status?: number;
  message: string;
  /** From Retry-After / retry-after-ms on a 429 or 503. */
  retryAfterMs?: number;
}

/** Parses `retry-after-ms` (milliseconds) or `retry-after` (seconds or an HTTP date). */
export function parseRetryAfter(headers: Headers | undefined, now: number): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Sorts an error thrown by the SDK into what the retry loop and breaker need to know. */
export function classifyFailure(err: unknown, now: number): Failure {
  if (err instanceof APIConnectionTimeoutError) return { kind: 'timeout', message: 'provider request timed out' };
  if (err instanceof APIConnectionError) {
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return { kind: 'connection', message: `provider unreachable${cause}` };
  }
  if (err instanceof APIError && typeof err.status === 'number') {
    const status = err.status;
    const retryAfterMs = parseRetryAfter(err.headers as Headers | undefined, now);
    const message = `provider answered ${status}: ${err.message}`;
    const base = retryAfterMs === undefined ? { status, message } : { status, message, retryAfterMs };
    if (status === 429) return { kind: 'rate_limit', ...base };
    if (status >= 500 || status === 408) return { kind: 'server', ...base };
    if (status === 401 || status === 403) return { kind: 'auth', ...base };
    return { kind: 'client', ...base };
  }
  // A bug of ours or an SDK surprise: not the provider's fault, not worth retrying.
  return { kind: 'client', message: err instanceof Error ? err.message : String(err) };
}

/** True when the breaker should count the failure as the provider being down. */
export function isOutage(kind: FailureKind): boolean {
  return kind === 'server' || kind === 'connection' || kind === 'timeout';
}

/** True when another attempt may succeed. */
export function isRetryable(kind: FailureKind): boolean {
  return kind === 'rate_limit' || isOutage(kind);
}

/** Full-jitter exponential backoff: between half and all of base·2^attempt, capped. */
export function backoffMs(attempt: number, baseMs: number, capMs = 30_000, random = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
