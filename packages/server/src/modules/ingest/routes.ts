import { createGunzip, createInflate } from 'node:zlib';
import type { Readable, Transform } from 'node:stream';
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError } from '../../http/errors.js';
import { splitJson, splitNdjson, splitText } from './body.js';
import type { IngestService } from './service.js';

const Rejection = Type.Object({ index: Type.Integer(), field: Type.String(), reason: Type.String() });
const IngestReply = Type.Object({
  accepted: Type.Integer({ description: 'entries stored (duplicates included)' }),
  duplicates: Type.Integer({ description: 'entries whose event id was already stored' }),
  rejected: Type.Integer(),
  errors: Type.Array(Rejection),
});

/** Inflates `payload`, counting compressed bytes so Fastify can check Content-Length while it limits the inflated size. */
function decompress(payload: Readable, encoding: 'gzip' | 'deflate'): Transform & { receivedEncodedLength: number } {
  const z = Object.assign(encoding === 'gzip' ? createGunzip() : createInflate(), { receivedEncodedLength: 0 });
  payload.on('data', (chunk: Buffer) => (z.receivedEncodedLength += chunk.length));
  return payload.pipe(z);
}

/** `POST /api/v1/logs`: JSON object, array, `{ logs: [...] }`, NDJSON or text; gzip/deflate bodies too. */
export const ingestRoutes: FastifyPluginAsyncTypebox<{ ingest: IngestService }> = async (app, { ingest }) => {
  app.addContentTypeParser(['application/x-ndjson', 'application/jsonl', 'text/plain'], { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );
  app.addHook('preParsing', async (req, _reply, payload) => {
    const enc = (req.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
    if (enc === 'identity') return payload;
    if (enc !== 'gzip' && enc !== 'deflate') {
      throw new AppError('unsupported_media_type', `content-encoding ${enc} is not supported; use gzip, deflate or none`);
    }
    return decompress(payload, enc);
  });
  app.post('/api/v1/logs', {
    config: { access: 'ingest' },
    schema: {
      summary: 'Ingest log entries',
      description:
        'Stores the good entries of a batch and answers after the database commit. Entries with a problem are listed with their index, field and reason; 400 only when no entry is usable.',
      tags: ['ingest'],
      response: { 200: IngestReply },
    },
  }, async (req) => {
    const type = (req.headers['content-type'] ?? 'application/json').split(';')[0]!.trim().toLowerCase();
    if (type === 'text/plain') return ingest.ingest(splitText(req.body as string));
    if (typeof req.body === 'string') return ingest.ingest(splitNdjson(req.body));
    return ingest.ingest(splitJson(req.body));
  });
};
