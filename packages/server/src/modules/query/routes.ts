import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { QueryService } from './service.js';

const Analysis = Type.Object({
  source: Type.String({ description: 'llm: the model read this line; template: inherited from its template\'s verdict' }),
  is_anomaly: Type.Boolean(),
  anomaly_score: Type.Number(),
  severity: Type.String({ description: 'critical, high, medium, low or info' }),
  category: Type.String(),
  summary: Type.String(),
  root_cause: Type.String(),
  suggestion: Type.String(),
  confidence: Type.Number(),
  template_id: Type.Union([Type.String(), Type.Null()]),
  model: Type.String(),
  prompt_version: Type.String(),
  demo: Type.Boolean({ description: 'produced by the demo stand-in, not a real model' }),
  analysed_at: Type.String(),
});
const Log = Type.Object({
  id: Type.String(),
  timestamp: Type.String({ description: 'event time, ISO 8601 UTC with microseconds' }),
  received_at: Type.String(),
  level: Type.String(),
  service: Type.String(),
  message: Type.String(),
  attributes: Type.Record(Type.String(), Type.Unknown()),
  event_id: Type.Union([Type.String(), Type.Null()]),
  analysis: Type.Union([Analysis, Type.Null()]),
  analysis_status: Type.Union([Type.Literal('done'), Type.Literal('pending'), Type.Literal('skipped')], {
    description: 'pending: waiting for its analysis; skipped: its level is not analysed (ANALYSIS_LEVELS)',
  }),
});
const Time = (what: string) => Type.Optional(Type.String({ description: `${what}: ISO 8601 or epoch (s, ms, µs, ns)` }));
const STATS_DESCRIPTION = 'Buckets are aligned on the Unix epoch and list only non-empty (time, key) pairs. Whole-minute buckets ' +
  '(multiples of 60 s, the default from a one-hour range up) are read from per-minute counts kept at ingest, with the ' +
  'minutes cut by from or to counted from the logs: the counts equal counting the logs either way.';
const Bucket = Type.Object({ time: Type.String(), key: Type.String(), count: Type.Integer() });

// The search language (docs/search.md; parsed in search-parse.ts).
const Q_DESCRIPTION = 'Search (docs/search.md). Words are ANDed and whole-word: timeout replica; OR between terms; ' +
  '"exact phrase"; prefix*; -word, -"phrase", -field:value exclude; ( ) group. Chinese, Japanese and Korean are found ' +
  'inside sentences: 数据库, "连接超时". Fields: service:api, level:error or level:>=warn, host:web-1, trace_id:…, ' +
  'attr.<key>:value (any other name:value is an attribute too); service:"payment api" quotes, service:pay* wildcards. ' +
  'A malformed query is a 400 invalid_query naming the problem and its position.';
const LogsQuery = Type.Object({
  from: Time('start of the range (default: 24 hours before to)'),
  to: Time('end of the range, exclusive (default: now)'),
  service: Type.Optional(Type.String({ description: 'service name; several separated by commas' })),
  level: Type.Optional(Type.String({ description: 'levels separated by commas, e.g. warn,error' })),
  q: Type.Optional(Type.String({ maxLength: 1000, description: Q_DESCRIPTION })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'next_cursor of the previous page' })),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  order: Type.Union([Type.Literal('desc'), Type.Literal('asc')], { default: 'desc' }),
  anomaly: Type.Optional(Type.Boolean({ description: 'only logs analysed as anomalies (true) or as normal (false)' })),
  severity: Type.Optional(Type.String({ description: 'analysis severities separated by commas, e.g. critical,high' })),
  template: Type.Optional(Type.String({ maxLength: 2000, description: 'template ids separated by commas: logs analysed as lines of these templates (GET /api/v1/templates)' })),
});

/** Read API: logs with filters and cursor pagination, one log, stats, services. */
export const queryRoutes: FastifyPluginAsyncTypebox<{ query: QueryService }> = async (app, { query }) => {
  app.get('/api/v1/logs', {
    config: { access: 'read' },
    schema: {
      summary: 'Search logs',
      tags: ['query'],
      querystring: LogsQuery,
      response: { 200: Type.Object({ logs: Type.Array(Log), next_cursor: Type.Union([Type.String(), Type.Null()]) }) },
    },
  }, (req) => query.logs(req.query));

  app.get('/api/v1/logs/:id', {
    config: { access: 'read' },
    schema: { summary: 'One log', tags: ['query'], params: Type.Object({ id: Type.String() }), response: { 200: Log } },
  }, (req) => query.log(req.params.id));

  app.get('/api/v1/stats', {
    config: { access: 'read' },
    schema: {
      summary: 'Log counts by level and by service in time buckets',
      description: STATS_DESCRIPTION,
      tags: ['query'],
      querystring: Type.Object({
        from: Time('start of the range (default: 24 hours before to)'),
        to: Time('end of the range, exclusive (default: now)'),
        bucket: Type.Optional(Type.Integer({ minimum: 1, description: 'bucket width in seconds (default: about 60 buckets; whole minutes from a one-hour range up)' })),
      }),
      response: {
        200: Type.Object({
          from: Type.String(),
          to: Type.String(),
          bucket_seconds: Type.Integer(),
          by_level: Type.Array(Bucket),
          by_service: Type.Array(Bucket),
        }),
      },
    },
  }, (req) => query.stats(req.query));

  app.get('/api/v1/services', {
    config: { access: 'read' },
    schema: {
      summary: 'Services that sent logs within the retention window',
      tags: ['query'],
      response: {
        200: Type.Object({
          services: Type.Array(Type.Object({ name: Type.String(), first_seen: Type.String(), last_seen: Type.String() })),
        }),
      },
    },
  }, async () => ({ services: await query.services() }));
};
