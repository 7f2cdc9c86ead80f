import type { FastifyPluginAsync } from 'fastify';
import type { Db } from '../../db/types.js';
import type { Metrics } from '../../http/metrics.js';

/** `/healthz` (process alive), `/readyz` (database answers), `/metrics` (Prometheus). */
export const opsRoutes: FastifyPluginAsync<{ db: Db; metrics: Metrics }> = async (app, { db, metrics }) => {
  app.get('/healthz', { schema: { hide: true } }, () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    try {
      await db.query('SELECT 1');
      return { status: 'ready', database: db.engine };
    } catch {
      return reply.status(503).header('retry-after', '5').send({ status: 'unavailable', database: db.engine });
    }
  });
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
};
