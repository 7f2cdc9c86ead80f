import type { FastifyError, FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { toAppError } from '../../lib/error-handler.js';
import type { AppError } from '../../lib/errors.js';
import { contentEncodingHook, type IngestService, type Rejection } from '../ingest/index.js';
import { decodePush } from './decode.js';
import { streamsToEntries } from './entries.js';

export interface LokiRoutesOptions {
  ingest: IngestService;
  maxBodyBytes: number;
}

/**
 * Loki's push API, `POST /loki/api/v1/push` (and the older `/api/prom/push`): JSON, gzip JSON, or
 * snappy-compressed protobuf. 204 once stored; errors are plain text with Loki's status codes.
 */
export const lokiRoutes: FastifyPluginAsync<LokiRoutesOptions> = async (app, { ingest, maxBodyBytes }) => {
  installLokiErrors(app, maxBodyBytes);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.addHook('preParsing', contentEncodingHook);
  const push = async (req: FastifyRequest, reply: FastifyReply) => {
    const type = (req.headers['content-type'] ?? 'application/json').split(';')[0]!.trim().toLowerCase();
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const result = await ingest.ingest(streamsToEntries(decodePush(body, type, maxBodyBytes)), 'loki');
    // Some entries refused, the rest stored: Loki would answer 400, which Promtail drops but
    // winston-loki resends for ever. A 2xx keeps every client from resending; the count is in a
    // header and the reasons are in the rejected-entries metric.
    if (result.rejected > 0) void reply.header('x-logsage-rejected', String(result.rejected));
    return reply.status(204).send();
  };
  const schema = {
    summary: 'Loki push (JSON, gzip JSON, snappy protobuf)',
    description: '204 once stored; partial pushes answer 204 with X-LogSage-Rejected; errors are plain text. See docs/shippers.md.',
    tags: ['ingest'],
  };
  app.post('/loki/api/v1/push', { config: { access: 'ingest' }, schema }, push);
  app.post('/api/prom/push', { config: { access: 'ingest' }, schema: { hide: true } }, push);
};

/** Loki answers errors as plain text; shippers print it. 429 and 503 carry Retry-After. */
function installLokiErrors(app: FastifyInstance, maxBodyBytes: number): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const e = toAppError(err, maxBodyBytes);
    if (e.status >= 500) req.log.error({ err }, e.message);
    if (e.retryAfter !== undefined) void reply.header('retry-after', String(e.retryAfter));
    return reply.status(e.status).type('text/plain; charset=utf-8').send(describe(e));
  });
}

function describe(e: AppError): string {
  const errors = (e.details as { errors?: Rejection[] } | undefined)?.errors;
  if (e.code !== 'invalid_logs' || !errors?.length) return `${e.message}\n`;
  const shown = errors.slice(0, 10).map((r) => `entry ${r.index}${r.field ? ` (${r.field})` : ''}: ${r.reason}`);
  const more = errors.length > shown.length ? [`... and ${errors.length - shown.length} more`] : [];
  return `${e.message}:\n${[...shown, ...more].join('\n')}\n`;
}
