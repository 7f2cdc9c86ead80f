import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { SEVERITIES, SilenceBody, SilenceView } from './schema.js';
import type { AlertingService } from './service.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Id = Type.Object({ id: Type.String({ maxLength: 100 }) });
const Alert = Type.Object({
  id: Type.String(),
  rule_id: Nullable(Type.String()),
  rule_name: Type.String(),
  fingerprint: Type.String(),
  labels: Type.Record(Type.String(), Type.String()),
  state: Type.String({ description: 'firing or resolved' }),
  severity: Type.String(),
  count: Type.Integer({ description: 'matching results in this alert' }),
  first_seen: Type.String(),
  last_seen: Type.String(),
  started_at: Type.String(),
  last_match_at: Type.String(),
  resolved_at: Nullable(Type.String()),
  summary: Type.String(),
  root_cause: Type.String(),
  suggestion: Type.String(),
  sample_message: Nullable(Type.String()),
  sample_log_id: Nullable(Type.String()),
  demo: Type.Boolean(),
  notifications: Type.Integer({ description: 'firing notification rounds sent' }),
  last_notified_at: Nullable(Type.String()),
  silenced_by: Nullable(Type.String({ description: 'the silence muting it' })),
  acked_at: Nullable(Type.String()),
  acked_by: Nullable(Type.String()),
});
const History = Type.Array(Type.Object({ at: Type.String(), event: Type.String(), details: Type.Record(Type.String(), Type.Unknown()) }));
const Sev = Type.Enum(SEVERITIES);

const who = (req: FastifyRequest): string => (req as { principal?: { name?: string } }).principal?.name ?? '';

/** Alerts API (list, one with history, acknowledge) and silences (list, create, expire, from an alert). */
export const alertRoutes: FastifyPluginAsyncTypebox<{ alerting: AlertingService }> = async (app, { alerting }) => {
  app.get('/api/v1/alerts', {
    config: { access: 'read' },
    schema: {
      summary: 'Alerts, newest first',
      tags: ['alerting'],
      querystring: Type.Object({
        state: Type.Optional(Type.Union([Type.Literal('firing'), Type.Literal('resolved')])),
        rule: Type.Optional(Type.String({ maxLength: 100, description: 'rule id' })),
        service: Type.Optional(Type.String({ maxLength: 200 })),
        severity: Type.Optional(Sev),
        from: Type.Optional(Type.String({ description: 'alerts firing at some moment after this time' })),
        to: Type.Optional(Type.String({ description: 'alerts that started before this time' })),
        before: Type.Optional(Type.String({ maxLength: 20, description: 'next page: the last id of the previous page' })),
        limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
      }),
      response: { 200: Type.Object({ alerts: Type.Array(Alert) }) },
    },
  }, async (req) => ({ alerts: await alerting.listAlerts(req.query) }));

  app.get('/api/v1/alerts/:id', {
    config: { access: 'read' },
    schema: { summary: 'One alert with its history', tags: ['alerting'], params: Id, response: { 200: Type.Object({ ...Alert.properties, history: History }) } },
  }, (req) => alerting.getAlert(req.params.id));

  app.post('/api/v1/alerts/:id/ack', {
    config: { access: 'edit' },
    schema: { summary: 'Acknowledge an alert (no more reminders while nothing new arrives)', tags: ['alerting'], params: Id, response: { 200: Alert } },
  }, (req) => alerting.ackAlert(req.params.id, who(req)));

  app.post('/api/v1/alerts/:id/silence', {
    config: { access: 'edit' },
    schema: {
      summary: "Silence an alert's group: a silence matching its rule and labels",
      tags: ['alerting'],
      params: Id,
      body: Type.Object({ duration_minutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 * 1440, default: 120 })), comment: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }),
      response: { 201: SilenceView },
    },
  }, async (req, reply) => reply.status(201).send(await alerting.silenceAlert(req.params.id, req.body ?? {}, who(req))));

  app.get('/api/v1/silences', {
    config: { access: 'read' },
    schema: {
      summary: 'Silences in force or to come (expired ones with expired=true)',
      tags: ['alerting'],
      querystring: Type.Object({ expired: Type.Boolean({ default: false }) }),
      response: { 200: Type.Object({ silences: Type.Array(SilenceView) }) },
    },
  }, async (req) => ({ silences: await alerting.listSilences(req.query.expired) }));

  app.post('/api/v1/silences', {
    config: { access: 'edit' },
    schema: { summary: 'Create a silence: matchers over alert labels and a time range', tags: ['alerting'], body: SilenceBody, response: { 201: SilenceView } },
  }, async (req, reply) => reply.status(201).send(await alerting.createSilence(req.body, who(req))));

  app.delete('/api/v1/silences/:id', {
    config: { access: 'edit' },
    schema: { summary: 'Expire a silence now', tags: ['alerting'], params: Id, response: { 200: SilenceView } },
  }, (req) => alerting.expireSilence(req.params.id));
};
