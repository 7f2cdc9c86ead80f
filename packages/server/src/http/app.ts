import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import underPressure from '@fastify/under-pressure';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Db } from '../db/types.js';
import { installErrorHandler, installNotFound } from '../lib/error-handler.js';
import { installConditionalGets } from './conditional.js';
import { serveDashboard } from './dashboard.js';
import type { Metrics } from '../lib/metrics.js';
import { assertStorable } from '../lib/storable.js';
import { ingestRoutes, type IngestService } from '../modules/ingest/index.js';
import { elasticsearchRoutes } from '../modules/elasticsearch/index.js';
import { lokiRoutes } from '../modules/loki/index.js';
import { otlpRoutes } from '../modules/otlp/index.js';
import { queryRoutes, type QueryService } from '../modules/query/index.js';
import { opsRoutes } from '../modules/ops/index.js';
import { notifyRoutes, type NotifyService } from '../modules/notify/index.js';
import { alertingRoutes, type AlertingService } from '../modules/alerting/index.js';
import { analysisRoutes, type AnalysisService } from '../modules/analysis/index.js';
import { incidentRoutes } from '../modules/incidents/index.js';
import { installSecurity, securityRoutes, type Security } from '../modules/auth/index.js';
import { auditRoutes, installAuditTrail } from '../modules/audit/index.js';

export interface AppDeps {
  alerting: AlertingService;
  analysis: AnalysisService;
  db: Db;
  log: FastifyBaseLogger;
  metrics: Metrics;
  ingest: IngestService;
  query: QueryService;
  notify: NotifyService;
  maxBodyBytes: number;
  security: Security;
  /** Event-loop delay (ms) past which requests answer 503; 0 turns the check off. */
  maxEventLoopDelay: number;
  /** The built dashboard served at / (undefined: not served). */
  dashboardDir?: string | undefined;
}

/** Builds the HTTP app: plugins, error shape, metrics, OpenAPI, and every module's routes. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log,
    bodyLimit: deps.maxBodyBytes,
    // One log line per request would flood our own logs at shipper rates; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    // Answers to requests cut off by a shutdown still leave through the normal path.
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Behind a reverse proxy: the client address for rate limits and https for Secure cookies.
    trustProxy: deps.security.cfg.TRUST_PROXY,
    // A field a body schema does not list is refused (400 naming it), not silently dropped: a rule
    // sent with "channels" for "channel_ids" was stored and never notified anyone.
    ajv: { customOptions: { removeAdditional: false } },
  });
  installErrorHandler(app, deps.maxBodyBytes);
  await app.register(underPressure, {
    maxEventLoopDelay: deps.maxEventLoopDelay,
    retryAfter: 5,
    pressureHandler: (_req, reply, type) => {
      void reply
        .status(503)
        .header('retry-after', '5')
        .send({ error: { code: 'unavailable', message: `the server is saturated (${type}); retry later` } });
    },
  });
  // Before every route: auth guard (refuses routes without config.access), limits, headers, audit.
  await installSecurity(app, deps.security);
  const audit = installAuditTrail(app, { db: deps.db, log: deps.log });
  installConditionalGets(app);
  // Settings bodies (rules, channels, silences, users, keys…): a value the database cannot store is a
  // 400 naming it. Ingest routes judge each entry themselves and keep the rest of the batch.
  app.addHook('preHandler', async (req) => {
    if (req.routeOptions.config.access !== 'ingest' && typeof req.body === 'object' && !Buffer.isBuffer(req.body)) assertStorable(req.body);
  });
  app.addHook('onResponse', async (req, reply) => {
    deps.metrics.httpDuration.observe(
      { method: req.method, route: req.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  await app.register(swagger, {
    openapi: {
      info: { title: 'LogSage API', version: '1', description: 'Self-hosted, LLM-powered log analysis' },
      tags: [{ name: 'ingest' }, { name: 'query' }, { name: 'security' }],
    },
  });
  // The docs page needs its own CSP (inline script hashes); upgrade-insecure-requests would break plain-HTTP installs.
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    transformStaticCSP: (h) => h.replace(/\s*upgrade-insecure-requests;?/, ''),
  });
  await app.register(opsRoutes, { db: deps.db, metrics: deps.metrics });
  await app.register(ingestRoutes, { ingest: deps.ingest });
  await app.register(otlpRoutes, { ingest: deps.ingest, maxBodyBytes: deps.maxBodyBytes });
  await app.register(elasticsearchRoutes, { prefix: '/es', ingest: deps.ingest, maxBodyBytes: deps.maxBodyBytes });
  await app.register(lokiRoutes, { ingest: deps.ingest, maxBodyBytes: deps.maxBodyBytes });
  await app.register(queryRoutes, { query: deps.query });
  await app.register(notifyRoutes, { notify: deps.notify });
  await app.register(alertingRoutes, { alerting: deps.alerting });
  await app.register(analysisRoutes, { analysis: deps.analysis });
  await app.register(incidentRoutes, { db: deps.db });
  await app.register(securityRoutes, deps.security);
  await app.register(auditRoutes, { audit });
  const dashboard = deps.dashboardDir ? await serveDashboard(app, deps.dashboardDir) : undefined;
  installNotFound(app, dashboard?.fallback);
  return app;
}
