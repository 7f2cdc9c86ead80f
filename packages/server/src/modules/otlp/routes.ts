import { createGunzip, createInflate } from 'node:zlib';
import type { Readable, Transform } from 'node:stream';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../lib/errors.js';
import { toAppError } from '../../lib/error-handler.js';
import type { IngestService, Rejection } from '../ingest/index.js';
import { PROTOBUF_TYPES, decodeRequest, encodeResponse, encodeStatus, encodingOf, shapeError, type Encoding } from './codec.js';
import { toEntries } from './map.js';

export interface OtlpRoutesOptions {
  ingest: IngestService;
  maxBodyBytes: number;
}

/** Inflates `payload`, counting compressed bytes so Fastify can check Content-Length while it limits the inflated size. */
function decompress(payload: Readable, encoding: 'gzip' | 'deflate'): Transform & { receivedEncodedLength: number } {
  const z = Object.assign(encoding === 'gzip' ? createGunzip() : createInflate(), { receivedEncodedLength: 0 });
  payload.on('data', (chunk: Buffer) => (z.receivedEncodedLength += chunk.length));
  // Fastify may answer (415 for the content type) without reading the body; a truncated or garbage
  // body then fails to inflate with no listener, an uncaught exception that ended the process.
  // When the body is read, the parser's own listener still turns the error into a 400.
  z.on('error', () => undefined);
  return payload.pipe(z);
}

/** Stores one export; every record refused is counted in partial_success with the first reasons. */
async function exportLogs(ingest: IngestService, req: FastifyRequest): Promise<{ rejected: number; message: string }> {
  const { request, ids } = decodeRequest(req.body, encodingOf(req.headers['content-type']));
  let split;
  try {
    split = toEntries(request, ids);
  } catch (err) {
    throw shapeError(err);
  }
  if (split.entries.length === 0) return { rejected: 0, message: '' };
  try {
    const r = await ingest.ingest(split, 'otlp');
    return { rejected: r.rejected, message: describe(r.errors, split.entries.length) };
  } catch (err) {
    // Every record refused for its content: the request itself was fine, so OTLP wants 200 + partial_success.
    if (err instanceof AppError && err.code === 'invalid_logs') {
      const errors = (err.details as { errors?: Rejection[] } | undefined)?.errors ?? [];
      return { rejected: split.entries.length, message: describe(errors, split.entries.length) };
    }
    throw err;
  }
}

function describe(errors: Rejection[], total: number): string {
  if (errors.length === 0) return '';
  const first = errors.slice(0, 5).map((e) => `record ${e.index}${e.field ? ` (${e.field})` : ''}: ${e.reason}`);
  return `${errors.length} of ${total} log records rejected; ${first.join('; ')}${errors.length > 5 ? '; …' : ''}`;
}

function send(reply: FastifyReply, encoding: Encoding, body: Buffer | object): FastifyReply {
  return reply.type(encoding === 'json' ? 'application/json' : 'application/x-protobuf').send(body);
}

/** OTLP/HTTP logs: `POST /v1/logs` and `/otlp/v1/logs`, protobuf or JSON, gzip or deflate, answers per the OTLP spec. */
export const otlpRoutes: FastifyPluginAsync<OtlpRoutesOptions> = async (app, { ingest, maxBodyBytes }) => {
  app.addContentTypeParser(PROTOBUF_TYPES, { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.addHook('preParsing', async (req, _reply, payload) => {
    const enc = (req.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
    if (enc === 'identity') return payload;
    if (enc !== 'gzip' && enc !== 'deflate') throw new AppError('unsupported_media_type', `content-encoding ${enc} is not supported; use gzip or none`);
    return decompress(payload, enc);
  });
  // OTLP clients read a google.rpc.Status, not our error shape; status codes and Retry-After are the same.
  app.setErrorHandler((err: Error, req, reply) => {
    const e = toAppError(err, maxBodyBytes);
    if (e.status >= 500) req.log.error({ err }, e.message);
    if (e.retryAfter !== undefined) void reply.header('retry-after', String(e.retryAfter));
    const encoding = encodingOf(req.headers['content-type']);
    return send(reply.status(e.status), encoding, encodeStatus(encoding, e.status, e.message));
  });
  const schema = {
    summary: 'OTLP/HTTP logs export',
    description: 'ExportLogsServiceRequest in protobuf (application/x-protobuf) or JSON; partial_success lists refused records.',
    tags: ['ingest'],
  };
  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    const r = await exportLogs(ingest, req);
    const encoding = encodingOf(req.headers['content-type']);
    return send(reply, encoding, encodeResponse(encoding, r.rejected, r.message));
  };
  for (const url of ['/v1/logs', '/otlp/v1/logs']) app.post(url, { config: { access: 'ingest' }, schema }, handler);
};
