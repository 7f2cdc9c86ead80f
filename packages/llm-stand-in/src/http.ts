// Small node:http helpers: bounded body reading, JSON answers, OpenAI-shaped errors, abortable waits.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Largest request body accepted; a bigger one is a client bug, not a prompt worth analysing. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** An HTTP failure carrying OpenAI's error shape. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
    readonly code: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** OpenAI's error body: {"error":{"message","type","code"}}. */
export function errorBody(message: string, type: string, code: string): object {
  return { error: { message, type, code } };
}

/** Reads the whole body as UTF-8, refusing more than MAX_BODY_BYTES. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `request body exceeds ${MAX_BODY_BYTES} bytes`, 'invalid_request_error', 'body_too_large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads and parses a JSON body; an empty body counts as `{}` for bodiless control calls. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'request body is not valid JSON', 'invalid_request_error', 'invalid_json');
  }
}

/** Sends a JSON answer unless the connection is already gone. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed || res.writableEnded) return;
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

/** Sends an HttpError in OpenAI's error shape. */
export function sendError(res: ServerResponse, err: HttpError): void {
  sendJson(res, err.status, errorBody(err.message, err.type, err.code), err.headers);
}

/** Resolves after ms, or at once when the signal aborts; reports whether the full time passed. */
export function wait(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, Math.max(0, ms));
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Resolves only when the signal aborts: a request that is never answered. */
export function waitForAbort(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
