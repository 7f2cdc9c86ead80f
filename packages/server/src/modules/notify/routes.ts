import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ChannelInput, NotifyService } from './service.js';

const ChannelType = Type.Union(['email', 'dingtalk', 'wecom', 'feishu', 'slack', 'webhook'].map((t) => Type.Literal(t)));
const Language = Type.Union([Type.Literal('zh-CN'), Type.Literal('en'), Type.Null()]);
const Settings = Type.Record(Type.String(), Type.Unknown(), {
  description: 'type-specific settings (see the README, "Notifications"); secrets come back masked, and a PATCH that omits them or sends the mask keeps them',
});
const Channel = Type.Object({
  id: Type.String(), name: Type.String(), type: Type.String(), enabled: Type.Boolean(), language: Language,
  config: Settings, createdAt: Type.String(), updatedAt: Type.String(),
});
const State = Type.Union([Type.Literal('pending'), Type.Literal('sending'), Type.Literal('sent'), Type.Literal('parked')]);
const Notification = Type.Object({
  id: Type.String(), channelId: Type.String(), idempotencyKey: Type.String(), state: Type.String(), attempts: Type.Integer(),
  nextAttemptAt: Type.String(), lastStatus: Type.Union([Type.Integer(), Type.Null()]), lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(), sentAt: Type.Union([Type.String(), Type.Null()]),
  alertId: Type.String(), ruleName: Type.String(), severity: Type.String(), status: Type.String(),
});
const Id = Type.Object({ id: Type.String({ maxLength: 64 }) });
const Name = Type.String({ minLength: 1, maxLength: 200 });
const tags = ['notifications'];

/** Channels (CRUD, test send) and the notification outbox (list, re-drive). */
export const notifyRoutes: FastifyPluginAsyncTypebox<{ notify: NotifyService }> = async (app, { notify }) => {
  app.get('/api/v1/channels', {
    config: { access: 'read' },
    schema: { summary: 'List notification channels', tags, response: { 200: Type.Object({ channels: Type.Array(Channel) }) } },
  }, async () => ({ channels: await notify.listChannels() }));

  app.post('/api/v1/channels', {
    config: { access: 'edit' },
    schema: {
      summary: 'Create a notification channel', tags,
      body: Type.Object({ name: Name, type: ChannelType, enabled: Type.Optional(Type.Boolean()), language: Type.Optional(Language), config: Settings }, { additionalProperties: false }),
      response: { 201: Channel },
    },
  }, async (req, reply) => reply.status(201).send(await notify.createChannel(req.body as ChannelInput)));

  app.get('/api/v1/channels/:id', {
    config: { access: 'read' },
    schema: { summary: 'One notification channel', tags, params: Id, response: { 200: Channel } },
  }, (req) => notify.getChannel(req.params.id));

  app.patch('/api/v1/channels/:id', {
    config: { access: 'edit' },
    schema: {
      summary: 'Change a notification channel', tags, params: Id,
      body: Type.Object({ name: Type.Optional(Name), enabled: Type.Optional(Type.Boolean()), language: Type.Optional(Language), config: Type.Optional(Settings) }, { additionalProperties: false }),
      response: { 200: Channel },
    },
  }, (req) => notify.updateChannel(req.params.id, req.body));

  app.delete('/api/v1/channels/:id', {
    config: { access: 'edit' },
    schema: { summary: 'Delete a notification channel and its outbox rows', tags, params: Id },
  }, async (req, reply) => {
    await notify.deleteChannel(req.params.id);
    return reply.status(204).send();
  });

  app.post('/api/v1/channels/:id/test', {
    config: { access: 'edit' },
    schema: {
      summary: 'Send a test message', description: 'Reports success or failure and the status code; never the remote body.', tags, params: Id,
      response: { 200: Type.Object({ ok: Type.Boolean(), status: Type.Union([Type.Integer(), Type.Null()]), error: Type.Union([Type.String(), Type.Null()]) }) },
    },
  }, (req) => notify.testChannel(req.params.id));

  app.get('/api/v1/notifications', {
    config: { access: 'read' },
    schema: {
      summary: 'The notification outbox', tags,
      querystring: Type.Object({
        state: Type.Optional(State), channel_id: Type.Optional(Type.String({ maxLength: 64 })),
        before: Type.Optional(Type.String({ pattern: '^\\d{1,18}$', description: 'id of the last row of the previous page' })),
        limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
      }),
      response: { 200: Type.Object({ notifications: Type.Array(Notification) }) },
    },
  }, async (req) => ({
    notifications: await notify.listNotifications({ state: req.query.state, channelId: req.query.channel_id, before: req.query.before, limit: req.query.limit }),
  }));

  app.post('/api/v1/notifications/:id/retry', {
    config: { access: 'edit' },
    schema: { summary: 'Re-drive a parked notification', tags, params: Id, response: { 200: Notification } },
  }, (req) => notify.retryNotification(req.params.id));
};
