// The canary's HTTP calls: one place that tells a refusal (429/503, honour Retry-After) from a failure.

/** What came of one request. */
export type Outcome<T> =
  | { kind: 'ok'; body: T }
  /** 429 or 503: the server asks to come back later; `retryAfterMs` is undefined when it did not say when. */
  | { kind: 'refused'; status: number; retryAfterMs: number | undefined }
  | { kind: 'failed'; reason: string; status?: number };

/** Reads Retry-After (seconds or an HTTP date) as milliseconds from now. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const secs = Number(header);
  if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** Sends one request with a bearer key and a timeout; never throws. */
export async function send<T>(url: string, key: string, timeoutMs: number, init: { method: string; body?: string }): Promise<Outcome<T>> {
  try {
    const res = await fetch(url, {
      method: init.method,
      headers: { authorization: `Bearer ${key}`, accept: 'application/json', ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: init.body ?? null,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    if (res.status === 429 || res.status === 503) return { kind: 'refused', status: res.status, retryAfterMs: retryAfterMs(res.headers.get('retry-after')) };
    if (res.status !== 200) return { kind: 'failed', reason: String(res.status), status: res.status };
    return { kind: 'ok', body: JSON.parse(text) as T };
  } catch (err) {
    const name = err instanceof Error ? err.name : '';
    return { kind: 'failed', reason: name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : name === 'SyntaxError' ? 'bad-json' : 'network' };
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
