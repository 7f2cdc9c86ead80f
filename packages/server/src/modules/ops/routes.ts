import type { FastifyPluginAsync } from 'fastify';
import type { Db } from '../../db/types.js';
import type { Metrics } from '../../lib/metrics.js';

/** `/healthz` (process alive), `/readyz` (database answers), `/metrics` (Prometheus). */
export const opsRoutes: FastifyPluginAsync<{ db: Db; metrics: Metrics }> = async (app, { db, metrics }) => {
  app.get('/healthz', { config: { access: 'public' }, schema: { hide: true } }, () => ({ status: 'ok' }));
  app.get('/readyz', { config: { access: 'public' }, schema: { hide: true } }, async (_req, reply) => {
    try {
      await db.query('SELECT 1');
      return { status: 'ready', database: db.engine };
    } catch {
      return reply.status(503).header('retry-after', '5').send({ status: 'unavailable', database: db.engine });
    }
  });
  // Prometheus scrapes with a read-scoped key (bearer_token / authorization in its scrape config).
  app.get('/metrics', { config: { access: 'read' }, schema: { hide: true } }, async (_req, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
};
