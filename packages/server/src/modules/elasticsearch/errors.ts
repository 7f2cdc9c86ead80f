import type { FastifyError, FastifyInstance } from 'fastify';
import { toAppError } from '../../lib/error-handler.js';
import type { AppError, ErrorCode } from '../../lib/errors.js';

/** An error answered in Elasticsearch's shape: `{ error: { root_cause, type, reason }, status }`. */
export class EsError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    reason: string,
    readonly retryAfter?: number,
  ) {
    super(reason);
    this.name = 'EsError';
  }
}

/** The body Elasticsearch answers for a failed request. */
export function esErrorBody(status: number, type: string, reason: string): Record<string, unknown> {
  return { error: { root_cause: [{ type, reason }], type, reason }, status };
}

// The exception names Elasticsearch uses for the same situations, so clients' messages read as usual.
const TYPES: Partial<Record<ErrorCode, string>> = {
  unauthorized: 'security_exception',
  forbidden: 'security_exception',
  bad_request: 'parse_exception',
  invalid_logs: 'illegal_argument_exception',
  invalid_query: 'illegal_argument_exception',
  not_found: 'resource_not_found_exception',
  payload_too_large: 'content_too_long_exception',
  unsupported_media_type: 'media_type_header_exception',
  rate_limited: 'es_rejected_execution_exception',
  unavailable: 'cluster_block_exception',
};

/** Our error as Elasticsearch would say it (status kept, type named like Elasticsearch's). */
export function fromAppError(e: AppError): EsError {
  return new EsError(e.status, TYPES[e.code] ?? 'exception', e.message, e.retryAfter);
}

/** Elasticsearch clients retry 401 never and read this challenge to know which schemes work. */
export const ES_CHALLENGE = 'Basic realm="security" charset="UTF-8", ApiKey';

/** Answers every error of the `/es` routes (auth, limits and body errors included) in Elasticsearch's shape. */
export function installEsErrors(app: FastifyInstance, maxBodyBytes: number): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const e = err instanceof EsError ? err : fromAppError(toAppError(err, maxBodyBytes));
    if (e.status >= 500) req.log.error({ err }, e.message);
    if (e.retryAfter !== undefined) void reply.header('retry-after', String(e.retryAfter));
    if (e.status === 401) void reply.header('www-authenticate', ES_CHALLENGE);
    return reply.status(e.status).send(esErrorBody(e.status, e.type, e.message));
  });
  app.setNotFoundHandler((req, reply) => {
    const reason = `no handler found for uri [${req.url}] and method [${req.method}]`;
    return reply.status(404).send(esErrorBody(404, 'resource_not_found_exception', reason));
  });
}
