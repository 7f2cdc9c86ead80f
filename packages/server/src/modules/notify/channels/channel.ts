import { sha256 } from '../../../lib/hash.js';
import type { Logger } from 'pino';
import { OutboundError, type OutboundClient, type OutboundResponse } from '../outbound.js';
import type { Message } from '../render.js';
import type { AlertNotification } from '../types.js';

/** What one send attempt came to; `error` is our own wording, never the remote body. */
export type SendOutcome =
  | { ok: true; status?: number }
  | { ok: false; retry: boolean; status?: number; retryAfterMs?: number; error: string };

export interface SendContext {
  outbound: OutboundClient;
  now: () => number;
  timeoutMs: number;
  log?: Logger;
}

/** One channel type: how to send, which provider target rate limits count against, and the limits. */
export interface Channel<C> {
  /** [sends, window in ms] pairs the provider enforces per target. */
  limits: [number, number][];
  /** The provider target (a robot) rate limits apply to; secrets do not appear in it. */
  target(config: C): string;
  send(ctx: SendContext, config: C, n: AlertNotification, m: Message): Promise<SendOutcome>;
}

/** A provider answer's error code when it refused the message despite HTTP 200. */
export type ProviderCheck = (body: unknown) => { rateLimited: boolean } | undefined;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Classifies an HTTP answer: 2xx ok (unless the provider's code says otherwise), 429/408/5xx retried, other 4xx final. */
export function classify(res: OutboundResponse, check?: ProviderCheck): SendOutcome {
  const { status } = res;
  if (status === 429) return { ok: false, retry: true, status, retryAfterMs: res.retryAfterMs, error: 'rate limited by the provider' };
  if (status === 408 || status >= 500) return { ok: false, retry: true, status, retryAfterMs: res.retryAfterMs, error: `HTTP ${status}` };
  if (status < 200 || status >= 300) return { ok: false, retry: false, status, error: `HTTP ${status}` };
  const refused = check?.(parseJson(res.body));
  if (!refused) return { ok: true, status };
  if (refused.rateLimited) return { ok: false, retry: true, status, retryAfterMs: 60_000, error: 'rate limited by the provider' };
  return { ok: false, retry: false, status, error: 'the provider refused the message (check the URL, secret and keywords)' };
}

/** Turns an outbound failure into an outcome: network trouble and timeouts are retried, refusals are final. */
export function failed(err: unknown): SendOutcome {
  if (err instanceof OutboundError) {
    return { ok: false, retry: err.kind === 'timeout' || err.kind === 'network', error: err.message };
  }
  throw err;
}

/** POSTs JSON through the outbound client and classifies the answer. */
export async function postJson(
  ctx: SendContext,
  url: string,
  body: string,
  headers: Record<string, string> = {},
  check?: ProviderCheck,
): Promise<SendOutcome> {
  try {
    return classify(await ctx.outbound.post(url, body, headers), check);
  } catch (err) {
    return failed(err);
  }
}

/** Checker for providers answering `{ errcode: 0 }` (DingTalk, WeCom) or `{ code: 0 }` (Feishu). */
export function codeCheck(field: 'errcode' | 'code', rateLimitCodes: number[]): ProviderCheck {
  return (body) => {
    if (!body || typeof body !== 'object') return undefined;
    const b = body as Record<string, unknown>;
    const code = b[field] ?? b.StatusCode;
    if (typeof code !== 'number' || code === 0) return undefined;
    return { rateLimited: rateLimitCodes.includes(code) };
  };
}

/** A rate-limit key for a provider target: the channel type and a digest of its URL (the URL holds the token). */
export function targetOf(type: string, url: string): string {
  return `${type}:${sha256(url).slice(0, 24)}`;
}
