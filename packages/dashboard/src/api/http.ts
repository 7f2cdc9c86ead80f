// The one place the dashboard talks HTTP: JSON in and out, the API's error shape, 401 and
// reachability reported to whoever listens (the router returns to login, the banner retries).

/** An error answer of the API (`{ error: { code, message, details } }`), or `unreachable` (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Query = Record<string, string | number | boolean | string[] | undefined | null>;

const listeners = {
  unauthorized: new Set<() => void>(),
  reachability: new Set<(ok: boolean) => void>(),
};

/** Called whenever a request answers 401 (the session ended or expired). */
export function onUnauthorized(fn: () => void): () => void {
  listeners.unauthorized.add(fn);
  return () => listeners.unauthorized.delete(fn);
}

/** Called with false when the API cannot be reached (network error, 502-504), true when it answers again. */
export function onReachability(fn: (ok: boolean) => void): () => void {
  listeners.reachability.add(fn);
  return () => listeners.reachability.delete(fn);
}

/** Renders a query string, leaving out empty values; arrays become comma-separated lists. */
export function queryString(q: Query = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) {
      if (v.length > 0) p.set(k, v.join(','));
    } else p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

const GATEWAY_DOWN = new Set([502, 503, 504]);

async function parseError(res: Response): Promise<ApiError> {
  let code = `http_${res.status}`;
  let message = res.statusText || `HTTP ${res.status}`;
  let details: unknown;
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string; details?: unknown } };
    if (body.error) {
      code = body.error.code ?? code;
      message = body.error.message ?? message;
      details = body.error.details;
    }
  } catch {
    // not JSON (a proxy's error page): keep the status text
  }
  return new ApiError(res.status, code, message, details);
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Do not announce a 401 (login and the first "who am I" handle it themselves). */
  quiet401?: boolean;
}

/** Sends one API request with the session cookie; resolves to the parsed JSON body. */
export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${path}${queryString(opts.query)}`, {
      method,
      credentials: 'same-origin',
      headers: opts.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: opts.body === undefined ? null : JSON.stringify(opts.body),
      signal: opts.signal ?? null,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    for (const fn of listeners.reachability) fn(false);
    throw new ApiError(0, 'unreachable', 'the LogSage server cannot be reached');
  }
  const down = GATEWAY_DOWN.has(res.status);
  for (const fn of listeners.reachability) fn(!down);
  if (res.status === 401 && !opts.quiet401) for (const fn of listeners.unauthorized) fn();
  if (!res.ok) throw await parseError(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** GET with a query. */
export const get = <T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> =>
  request<T>('GET', path, { ...(query ? { query } : {}), ...(signal ? { signal } : {}) });

/** POST a JSON body (an empty object when none is given: the server's CSRF check wants a JSON request). */
export const post = <T>(path: string, body: unknown = {}): Promise<T> => request<T>('POST', path, { body });

/** PATCH with the changed fields only. */
export const patch = <T>(path: string, body: unknown): Promise<T> => request<T>('PATCH', path, { body });

/** DELETE; resolves when the server answered 2xx. */
export const del = (path: string): Promise<void> => request<void>('DELETE', path);

/** A path segment from an id the user or the server gave (never trusted to be URL-safe). */
export const seg = (id: string | number): string => encodeURIComponent(String(id));
