/** Stable error codes and the HTTP status each one maps to (GUIDE §4.7). */
export const ERROR_STATUS = {
  bad_request: 400,
  invalid_logs: 400,
  invalid_query: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
  data_dir_locked: 500,
  invalid_config: 500,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** The one error type services throw; the HTTP layer turns it into `{ error: { code, message, details } }`. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** Seconds a client should wait before retrying (503/429). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

const TRANSIENT_NET = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', 'EHOSTUNREACH', 'EAI_AGAIN']);
// SQLSTATE classes/codes meaning "the database cannot serve now, retry later":
// 08 connection exception, 53 insufficient resources, 57P0x shutdown/cannot connect, 57014 statement timeout,
// 40001/40P01 serialization failure/deadlock.
const TRANSIENT_SQLSTATE = /^(08|53|57P0|57014|40001|40P01)/;

/** True when `err` means the database is unreachable, overloaded or slow, never that the request was bad. */
export function isTransientDbError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (TRANSIENT_NET.has(code) || TRANSIENT_SQLSTATE.test(code))) return true;
  // pg reports pool/connect timeouts and dropped connections only through the message.
  return /timeout exceeded when trying to connect|Connection terminated|connection timeout|Client has encountered a connection error|terminating connection/i.test(
    err.message,
  );
}

/** Wraps a database failure: transient ones become 503 + Retry-After, anything else is rethrown as is. */
export function asUnavailable(err: unknown, retryAfter = 5): unknown {
  if (err instanceof AppError || !isTransientDbError(err)) return err;
  return new AppError('unavailable', 'the database is unavailable; retry later', undefined, retryAfter);
}

/** Awaits a database call, turning transient failures into 503 + Retry-After (see asUnavailable). */
export async function guardDb<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    throw asUnavailable(err);
  }
}
