import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AuditLog } from './trail.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Entry = Type.Object({
  id: Type.String(),
  at: Type.String(),
  actor_kind: Type.String(),
  actor_id: Nullable(Type.String()),
  actor_name: Type.String(),
  action: Type.String(),
  method: Nullable(Type.String()),
  route: Nullable(Type.String()),
  target: Nullable(Type.String()),
  status: Type.Union([Type.Integer(), Type.Null()]),
  ip: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown()),
});

/** `GET /api/v1/audit` (admin): who changed users, keys, rules, channels and settings, newest first. */
export const auditRoutes: FastifyPluginAsyncTypebox<{ audit: AuditLog }> = async (app, { audit }) => {
  app.get('/api/v1/audit', {
    config: { access: 'admin' },
    schema: {
      summary: 'Audit log',
      tags: ['security'],
      querystring: Type.Object({
        limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
        before: Type.Optional(Type.String({ pattern: '^[0-9]{1,19}$', description: 'id of the last entry of the previous page' })),
        action: Type.Optional(Type.String({ maxLength: 200 })),
      }),
      response: { 200: Type.Object({ entries: Type.Array(Entry), next_before: Nullable(Type.String()) }) },
    },
  }, async (req) => {
    const entries = await audit.list(req.query);
    return { entries, next_before: entries.length === req.query.limit ? entries.at(-1)!.id : null };
  });
};
