import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { AppError } from '../../lib/errors.js';
import type { AuditNote } from '../audit/index.js';
import { ApiKey, CreatedKey, CreateKey, CreateUser, IdParams, PatchUser, User } from './schemas.js';
import type { AuthService } from './service.js';

/** Users and API keys, for admins: `/api/v1/users…`, `/api/v1/api-keys…`. */
export const adminRoutes: FastifyPluginAsyncTypebox<{ auth: AuthService }> = async (app, { auth }) => {
  const tags = ['security'];
  app.get('/api/v1/users', {
    config: { access: 'admin' },
    schema: { summary: 'List users', tags, response: { 200: Type.Object({ users: Type.Array(User) }) } },
  }, async () => ({ users: await auth.users.list() }));

  app.post('/api/v1/users', {
    config: { access: 'admin' },
    schema: { summary: 'Create a user', tags, body: CreateUser, response: { 201: User } },
  }, async (req, reply) => {
    const user = await auth.users.create(req.body, req.principal);
    const note: AuditNote = { action: 'user.create', target: user.id, details: { username: user.username, role: user.role } };
    req.auditNote = note;
    return reply.status(201).send(user);
  });

  app.patch('/api/v1/users/:id', {
    config: { access: 'admin' },
    schema: { summary: 'Change a user\'s role, password or disabled flag', tags, params: IdParams, body: PatchUser, response: { 200: User } },
  }, async (req) => {
    const user = await auth.users.update(req.params.id, req.body);
    const changed = Object.keys(req.body); // names only: a new password never reaches the audit log
    req.auditNote = { action: 'user.update', target: user.id, details: { username: user.username, changed, role: user.role } };
    return user;
  });

  app.delete('/api/v1/users/:id', {
    config: { access: 'admin' },
    schema: { summary: 'Delete a user', tags, params: IdParams, response: { 204: Type.Null() } },
  }, async (req, reply) => {
    await auth.users.remove(req.params.id);
    req.auditNote = { action: 'user.delete', target: req.params.id };
    return reply.status(204).send(null);
  });

  app.get('/api/v1/api-keys', {
    config: { access: 'admin' },
    schema: { summary: 'List API keys (never the keys themselves)', tags, response: { 200: Type.Object({ keys: Type.Array(ApiKey) }) } },
  }, async () => ({ keys: await auth.keys.list() }));

  app.post('/api/v1/api-keys', {
    config: { access: 'admin' },
    schema: { summary: 'Create an API key (the answer is the only time it is shown)', tags, body: CreateKey, response: { 201: CreatedKey } },
  }, async (req, reply) => {
    const key = await auth.keys.create(req.body, req.principal);
    req.auditNote = { action: 'api_key.create', target: key.id, details: { name: key.name, prefix: key.prefix, scopes: key.scopes } };
    return reply.status(201).send(key);
  });

  app.delete('/api/v1/api-keys/:id', {
    config: { access: 'admin' },
    schema: { summary: 'Revoke an API key (effective within 5 seconds everywhere)', tags, params: IdParams, response: { 204: Type.Null() } },
  }, async (req, reply) => {
    const key = await auth.keys.revoke(req.params.id);
    if (!key) throw new AppError('not_found', 'no such live API key');
    req.auditNote = { action: 'api_key.revoke', target: key.id, details: { name: key.name, prefix: key.prefix } };
    return reply.status(204).send(null);
  });
};
