import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RuleBody, RulePatch, RuleView } from './schema.js';
import type { AlertingService } from './service.js';

const Id = Type.Object({ id: Type.String({ maxLength: 100 }) });
const Preview = Type.Object({
  from: Type.String(),
  to: Type.String(),
  matched: Type.Integer({ description: 'results matching the conditions' }),
  alerts: Type.Integer({ description: 'alerts the rule would have raised' }),
  truncated: Type.Boolean({ description: 'the day held more results than the preview reads: counts are a lower bound' }),
  groups: Type.Array(Type.Object({ labels: Type.Record(Type.String(), Type.String()), alerts: Type.Integer(), matches: Type.Integer() })),
});

/** Rules API: CRUD, enable/disable, and a preview over the last 24 hours. */
export const ruleRoutes: FastifyPluginAsyncTypebox<{ alerting: AlertingService }> = async (app, { alerting }) => {
  app.get('/api/v1/rules', {
    config: { access: 'read' },
    schema: { summary: 'Alert rules', tags: ['alerting'], response: { 200: Type.Object({ rules: Type.Array(RuleView) }) } },
  }, async () => ({ rules: await alerting.listRules() }));

  app.post('/api/v1/rules', {
    config: { access: 'edit' },
    schema: { summary: 'Create an alert rule', tags: ['alerting'], body: RuleBody, response: { 201: RuleView } },
  }, async (req, reply) => reply.status(201).send(await alerting.createRule(req.body)));

  app.post('/api/v1/rules/preview', {
    config: { access: 'read' },
    schema: {
      summary: 'How many alerts a rule would have raised over the last 24 hours, per group',
      tags: ['alerting'],
      body: RuleBody,
      response: { 200: Preview },
    },
  }, (req) => alerting.preview(req.body));

  app.get('/api/v1/rules/:id', {
    config: { access: 'read' },
    schema: { summary: 'One alert rule', tags: ['alerting'], params: Id, response: { 200: RuleView } },
  }, (req) => alerting.getRule(req.params.id));

  app.patch('/api/v1/rules/:id', {
    config: { access: 'edit' },
    schema: { summary: 'Change an alert rule (fields given replace the stored ones)', tags: ['alerting'], params: Id, body: RulePatch, response: { 200: RuleView } },
  }, (req) => alerting.updateRule(req.params.id, req.body));

  app.delete('/api/v1/rules/:id', {
    config: { access: 'edit' },
    schema: { summary: 'Delete an alert rule (its firing alerts resolve; history stays)', tags: ['alerting'], params: Id },
  }, async (req, reply) => {
    await alerting.deleteRule(req.params.id);
    return reply.status(204).send();
  });

  for (const action of ['enable', 'disable'] as const) {
    app.post(`/api/v1/rules/:id/${action}`, {
      config: { access: 'edit' },
      schema: { summary: `${action === 'enable' ? 'Enable' : 'Disable'} an alert rule`, tags: ['alerting'], params: Id, response: { 200: RuleView } },
    }, (req) => alerting.updateRule(req.params.id, { enabled: action === 'enable' }));
  }
};
