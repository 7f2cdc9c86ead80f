import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AnalysisService } from './service.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const Verdict = Type.Object({
  state: Type.String({ description: 'open, scheduled, done or parked' }),
  severity: Type.Optional(Type.String()),
  is_anomaly: Type.Optional(Type.Boolean()),
  anomaly_score: Type.Optional(Type.Number()),
  category: Type.Optional(Type.String()),
  summary: Type.Optional(Type.String()),
  root_cause: Type.Optional(Type.String()),
  suggestion: Type.Optional(Type.String()),
  confidence: Type.Optional(Type.Number()),
  parameter_dependent: Type.Optional(Type.Boolean()),
  prompt_version: Type.Optional(Type.String()),
  analysed_at: Nullable(Type.String()),
  expires_at: Nullable(Type.String()),
  model: Nullable(Type.String()),
  demo: Type.Boolean({ description: 'the verdict came from the demo stand-in, not a real model' }),
});

const Template = Type.Object({
  id: Type.String(),
  template: Type.String({ description: '<*> marks the variable parts' }),
  sample: Type.String(),
  count: Type.Integer(),
  first_seen: Type.String(),
  last_seen: Type.String(),
  parameter_dependent: Type.Boolean({ description: 'lines of this template are analysed per distinct message' }),
  verdict: Nullable(Verdict),
});

/** Analysis API: templates with verdicts, queue and backlog, provider status, parked work. */
export const analysisRoutes: FastifyPluginAsyncTypebox<{ analysis: AnalysisService }> = async (app, { analysis }) => {
  app.get('/api/v1/templates', {
    config: { access: 'read' },
    schema: {
      summary: 'Log templates with their verdicts',
      tags: ['analysis'],
      querystring: Type.Object({
        order: Type.Union([Type.Literal('count'), Type.Literal('last_seen')], { default: 'count' }),
        limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
        offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
        q: Type.Optional(Type.String({ maxLength: 200, description: 'text the template contains' })),
      }),
      response: { 200: Type.Object({ templates: Type.Array(Template), total: Type.Integer() }) },
    },
  }, (req) => analysis.templates(req.query));

  app.get('/api/v1/queue/stats', {
    config: { access: 'read' },
    schema: { summary: 'Analysis queue and backlog', tags: ['analysis'] },
  }, () => analysis.queueStats());

  app.get('/api/v1/status', {
    config: { access: 'read' },
    schema: { summary: 'Analysis status: provider, circuit, backlog, tokens used today', tags: ['analysis'] },
  }, () => analysis.status());

  app.get('/api/v1/analysis/parked', {
    config: { access: 'read' },
    schema: {
      summary: 'Analysis work that failed permanently, with the reason',
      tags: ['analysis'],
      querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) }),
    },
  }, (req) => analysis.parked(req.query.limit));

  app.post('/api/v1/analysis/parked/redrive', {
    config: { access: 'edit' },
    schema: {
      summary: 'Send parked work to the LLM again (all, or the given keys)',
      tags: ['analysis'],
      body: Type.Object({ keys: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 10_000 })) }, { additionalProperties: false }),
      response: { 200: Type.Object({ reopened: Type.Integer() }) },
    },
  }, (req) => analysis.redrive(req.body.keys));
};
