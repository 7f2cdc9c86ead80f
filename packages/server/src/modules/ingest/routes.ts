import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { contentEncodingHook } from './encoding.js';
import { decodeBody, parseJsonBody, splitJson, splitNdjson, splitText } from './body.js';
import type { IngestService } from './service.js';

const Rejection = Type.Object({ index: Type.Integer(), field: Type.String(), reason: Type.String() });
const IngestReply = Type.Object({
  accepted: Type.Integer({ description: 'entries stored (duplicates included)' }),
  duplicates: Type.Integer({ description: 'entries whose event id was already stored' }),
  rejected: Type.Integer(),
  errors: Type.Array(Rejection),
});

/** `POST /api/v1/logs`: JSON object, array, `{ logs: [...] }`, NDJSON or text; gzip/deflate bodies too. */
export const ingestRoutes: FastifyPluginAsyncTypebox<{ ingest: IngestService }> = async (app, { ingest }) => {
  // Bodies are read as bytes and decoded in their declared charset; JSON is parsed here rather than by
  // Fastify, whose prototype-poisoning check refused a whole batch for one entry's `__proto__` key.
  app.addContentTypeParser(['application/x-ndjson', 'application/jsonl', 'text/plain'], { parseAs: 'buffer' }, (req, body, done) => {
    try {
      done(null, decodeBody(body as Buffer, req.headers['content-type']));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    try {
      done(null, parseJsonBody(decodeBody(body as Buffer, req.headers['content-type'])));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  app.addHook('preParsing', contentEncodingHook);
  app.post('/api/v1/logs', {
    config: { access: 'ingest' },
    schema: {
      querystring: Type.Object({
        service: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'text/plain only: the service of every line' })),
        host: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'text/plain only: the host of every line' })),
      }),
      summary: 'Ingest log entries',
      description:
        'Stores the good entries of a batch and answers after the database commit. Entries with a problem are listed with their index, field and reason; 400 only when no entry is usable.',
      tags: ['ingest'],
      response: { 200: IngestReply },
    },
  }, async (req) => {
    const type = (req.headers['content-type'] ?? 'application/json').split(';')[0]!.trim().toLowerCase();
    if (type === 'text/plain') return ingest.ingest(splitText(req.body as string, req.query));
    if (typeof req.body === 'string') return ingest.ingest(splitNdjson(req.body));
    return ingest.ingest(splitJson(req.body));
  });
};
