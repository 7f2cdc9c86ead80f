import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, asUnavailable, type ErrorCode } from './errors.js';

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'bad_request',
  FST_ERR_CTP_INVALID_JSON_BODY: 'bad_request',
};

/** Turns any thrown error into the one response shape `{ error: { code, message, details? } }`. */
export function toAppError(err: FastifyError | Error, maxBodyBytes: number): AppError {
  const mapped = asUnavailable(err);
  if (mapped instanceof AppError) return mapped;
  const fe = err as FastifyError;
  if (fe.validation) {
    const details = fe.validation.map((v) => {
      const missing = v.params?.missingProperty;
      const extra = v.params?.additionalProperty;
      const path = v.instancePath.replace(/^\//, '');
      if (typeof extra === 'string') return { field: path ? `${path}/${extra}` : extra, reason: 'is not a known field' };
      const field = path || (typeof missing === 'string' ? missing : '');
      return { field, reason: v.message ?? 'invalid' };
    });
    return new AppError(fe.validationContext === 'body' ? 'bad_request' : 'invalid_query', describe(fe.validationContext, details), details);
  }
  const code = fe.code ? FASTIFY_CODES[fe.code] : undefined;
  if (code === 'payload_too_large') {
    return new AppError(code, `the body is larger than ${maxBodyBytes} bytes after decompression; send smaller batches`);
  }
  if (code) return new AppError(code, fe.message);
  if (err instanceof SyntaxError || (fe.statusCode !== undefined && fe.statusCode >= 400 && fe.statusCode < 500)) {
    return new AppError('bad_request', `the body could not be read: ${fe.message}`);
  }
  return new AppError('internal', 'internal error');
}

function describe(where: string | undefined, details: { field: string; reason: string }[]): string {
  return `invalid ${where ?? 'request'}: ${details.map((d) => (d.field ? `${d.field} ${d.reason}` : d.reason)).join('; ')}`;
}

/** Installs the error handler on `app`. */
export function installErrorHandler(app: FastifyInstance, maxBodyBytes: number): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const e = toAppError(err, maxBodyBytes);
    if (e.status >= 500) req.log.error({ err }, e.message);
    if (e.retryAfter !== undefined) void reply.header('retry-after', String(e.retryAfter));
    const body: Record<string, unknown> = { code: e.code, message: e.message };
    if (e.details !== undefined) body.details = e.details;
    return reply.status(e.status).send({ error: body });
  });
}

/** Installs the not-found handler: `page` may answer it (the dashboard's app routes), else a JSON 404. */
export function installNotFound(app: FastifyInstance, page?: (req: FastifyRequest, reply: FastifyReply) => boolean): void {
  app.setNotFoundHandler((req, reply) => {
    if (page?.(req, reply)) return reply;
    return reply.status(404).send({ error: { code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` } });
  });
}
