import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { contentEncodingHook, type IngestService } from '../ingest/index.js';
import { parseBulk, runBulk, type BulkAnswer, type BulkAction } from './bulk.js';
import { EsError, installEsErrors } from './errors.js';
import { filterPath, parseFilterPath } from './filter-path.js';
import { registerInfoRoutes } from './info.js';

export interface EsRoutesOptions {
  ingest: IngestService;
  maxBodyBytes: number;
}

const RETRY_AFTER_SECONDS = '5';
const config = { access: 'ingest' as const };

type Req = FastifyRequest<{ Params: { index?: string; id?: string }; Querystring: { filter_path?: string } }>;

const statusOf = (it: BulkAnswer['items'][number]): number => Object.values(it)[0]!.status as number;

/**
 * The Elasticsearch-compatible API (register under a prefix such as `/es`): what Filebeat,
 * Logstash, Fluent Bit and the Elasticsearch clients call at start, `_bulk`, and single-document
 * writes. Every answer carries `X-Elastic-Product: Elasticsearch` (the 8.x clients refuse any
 * answer without it) and errors are shaped as Elasticsearch shapes them.
 */
export const elasticsearchRoutes: FastifyPluginAsync<EsRoutesOptions> = async (app, { ingest, maxBodyBytes }) => {
  installEsErrors(app, maxBodyBytes);
  app.addHook('onSend', async (_req, reply, payload) => {
    void reply.header('x-elastic-product', 'Elasticsearch');
    return payload;
  });
  // Bulk bodies come as application/json, x-ndjson or the vnd types: all are read as text here.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.addHook('preParsing', contentEncodingHook);
  registerInfoRoutes(app);
  registerBulkRoutes(app, ingest);
};

function registerBulkRoutes(app: FastifyInstance, ingest: IngestService): void {
  const bulk = async (req: Req, reply: FastifyReply) => {
    const answer = await runBulk(ingest, parseBulk(typeof req.body === 'string' ? req.body : '', req.params.index));
    if (answer.items.some((it) => statusOf(it) === 429)) void reply.header('retry-after', RETRY_AFTER_SECONDS);
    const patterns = parseFilterPath(req.query.filter_path);
    return patterns ? (filterPath(answer, patterns) ?? {}) : answer;
  };
  const schema = {
    summary: 'Elasticsearch _bulk (index and create actions)',
    description: 'NDJSON bulk body as Elasticsearch takes it; one item per action with its own status (201, 409, 400, 429). See docs/shippers.md.',
    tags: ['ingest'],
  };
  for (const url of ['/_bulk', '/:index/_bulk']) app.route({ method: ['POST', 'PUT'], url, config, schema, handler: bulk });

  // Single-document writes (`POST /{index}/_doc`, `PUT /{index}/_doc/{id}`, `PUT /{index}/_create/{id}`).
  const single = (op: BulkAction['op']) => async (req: Req, reply: FastifyReply) => {
    const index = req.params.index!;
    const line = (o: unknown) => JSON.stringify(o);
    const action = { [op]: { _index: index, ...(req.params.id === undefined ? {} : { _id: req.params.id }) } };
    const body = typeof req.body === 'string' ? req.body.replaceAll('\n', ' ') : '';
    const answer = await runBulk(ingest, parseBulk(`${line(action)}\n${body}\n`, index));
    const result = Object.values(answer.items[0]!)[0]!;
    const status = result.status as number;
    if (status >= 400) {
      const e = result.error as { type: string; reason: string };
      throw new EsError(status, e.type, e.reason, status === 429 ? Number(RETRY_AFTER_SECONDS) : undefined);
    }
    const { status: _s, ...rest } = result;
    return reply.status(status).send(rest);
  };
  const hidden = { hide: true };
  app.route({ method: 'POST', url: '/:index/_doc', config, schema: hidden, handler: single('index') });
  app.route({ method: ['PUT', 'POST'], url: '/:index/_doc/:id', config, schema: hidden, handler: single('index') });
  app.route({ method: ['PUT', 'POST'], url: '/:index/_create/:id', config, schema: hidden, handler: single('create') });
}
