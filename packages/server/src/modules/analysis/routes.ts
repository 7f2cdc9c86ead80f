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
  parameter_dependent: Type.Boolean({ description: 'lines of this template share a verdict only with lines holding the same values where the model said they matter (its key params), else only with equal lines' }),
  verdict: Nullable(Verdict),
  sparkline: Type.Optional(Type.Object({
    bucket_seconds: Type.Integer({ description: 'always 3600' }),
    from: Type.String({ description: 'start of the first hour (the current hour and the 23 before it)' }),
    counts: Type.Array(Type.Integer(), { description: 'lines per hour by event time, oldest first, zeros included' }),
  }, { description: 'present with sparkline=true and on a single template' })),
});

const Count = Type.Object({ key: Type.String(), count: Type.Integer() });
const Summary = Type.Object({
  from: Type.String(),
  to: Type.String(),
  bucket_seconds: Type.Integer(),
  total: Type.Integer({ description: 'logs analysed with an event time in [from, to)' }),
  anomalies: Type.Integer(),
  by_severity: Type.Array(Count, { description: 'every severity, critical, high, medium, low, info' }),
  by_category: Type.Array(Count, { description: 'categories seen, largest first' }),
  trend: Type.Array(Type.Object({ time: Type.String(), total: Type.Integer(), anomalies: Type.Integer() }), {
    description: 'every bucket of the range, oldest first, zeros included',
  }),
});

const Tokens = { prompt_tokens: Type.Integer(), completion_tokens: Type.Integer(), reasoning_tokens: Type.Integer() };
const Cost = Type.Record(Type.String(), Type.Number(), { description: 'amount per currency (ISO code); models without a price add nothing' });
const UsageReport = Type.Object({
  days: Type.Array(Type.Object({
    day: Type.String({ description: 'YYYY-MM-DD (UTC)' }),
    calls: Type.Integer(),
    ...Tokens,
    models: Type.Array(Type.String()),
    cost: Cost,
    unpriced_tokens: Type.Integer({ description: 'prompt and completion tokens of models with no price' }),
    by_model: Type.Array(Type.Object({ model: Type.String(), calls: Type.Integer(), ...Tokens, cost: Nullable(Type.Number()), currency: Nullable(Type.String()) })),
    by_service: Type.Array(Type.Object({
      service: Type.String(),
      entries: Type.Integer({ description: 'entries of this service sent to the LLM; each batch\'s tokens are shared by entries' }),
      ...Tokens,
      cost: Cost,
      unpriced_tokens: Type.Integer(),
    }), { description: 'most tokens first' }),
  }), { description: 'oldest first, every day of the range, zeros included' }),
  prices: Type.Array(Type.Object({
    model: Type.String(),
    input: Type.Number({ description: 'per million prompt tokens' }),
    output: Type.Number({ description: 'per million completion tokens (reasoning included)' }),
    currency: Type.String(),
    default: Type.Boolean({ description: 'a built-in list price as of 2026, not set in LLM_PRICES: check your provider\'s price list' }),
  })),
});

/** Analysis API: templates with verdicts and sparklines, the results summary, queue and backlog, provider status, parked work. */
export const analysisRoutes: FastifyPluginAsyncTypebox<{ analysis: AnalysisService }> = async (app, { analysis }) => {
  await app.register(dashboardRoutes, { analysis });
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
        service: Type.Optional(Type.String({
          maxLength: 1000,
          description: 'only templates given to lines of these services (comma-separated) within retention; sparklines then count those lines only',
        })),
        sparkline: Type.Optional(Type.Boolean({ description: 'add each template\'s lines per hour over the last 24 hours' })),
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

/** The dashboard's analysis reads beyond the template list: one template, the results summary. */
const dashboardRoutes: FastifyPluginAsyncTypebox<{ analysis: AnalysisService }> = async (app, { analysis }) => {
  app.get('/api/v1/templates/:id', {
    config: { access: 'read' },
    schema: {
      summary: 'One template with its verdict and its lines per hour over the last 24 hours',
      tags: ['analysis'],
      params: Type.Object({ id: Type.String({ maxLength: 200 }) }),
      response: { 200: Template },
    },
  }, (req) => analysis.template(req.params.id));

  app.get('/api/v1/analysis/usage', {
    config: { access: 'read' },
    schema: {
      summary: 'LLM calls, tokens and cost per UTC day, per model and per service, with the price table',
      description: 'Cost is computed from the current price table (LLM_PRICES over built-in defaults); a model with no price has cost null and its tokens count as unpriced.',
      tags: ['analysis'],
      querystring: Type.Object({ days: Type.Integer({ minimum: 1, maximum: 366, default: 14, description: 'days back, today included' }) }),
      response: { 200: UsageReport },
    },
  }, (req) => analysis.usage(req.query.days));

  app.get('/api/v1/analysis/summary', {
    config: { access: 'read' },
    schema: {
      summary: 'Analysis results by severity, by category and over time',
      description: 'Counts of analysis results by the event time of their logs, read from per-minute counts kept as results are written.',
      tags: ['analysis'],
      querystring: Type.Object({
        from: Type.Optional(Type.String({ description: 'start of the range: ISO 8601 or epoch (default: 24 hours before to)' })),
        to: Type.Optional(Type.String({ description: 'end of the range, exclusive: ISO 8601 or epoch (default: now)' })),
        bucket: Type.Optional(Type.Integer({
          minimum: 60,
          multipleOf: 60,
          description: 'trend bucket width in seconds, whole minutes, aligned on the Unix epoch (default: about 60 buckets)',
        })),
      }),
      response: { 200: Summary },
    },
  }, (req) => analysis.summary(req.query));
};
