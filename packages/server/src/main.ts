import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { Redis } from 'ioredis';
import type { Config } from './config/index.js';
import { openDatabase, openReadDatabase, type Db } from './db/index.js';
import { buildApp } from './http/app.js';
import { defaultDashboardDir } from './http/dashboard.js';
import { createMetrics } from './http/metrics.js';
import { createIngestService, type IngestService } from './modules/ingest/index.js';
import { createQueryService } from './modules/query/index.js';
import { loadSecretsKey, setupNotifications } from './modules/notify/index.js';
import { setupAlerting, type AlertingService } from './modules/alerting/index.js';
import { ensurePartitions, startPartitionMaintenance } from './modules/retention/index.js';
import { startSecurity, type Security } from './modules/auth/index.js';
import { startPipeline, type Pipeline } from './pipeline.js';
import { pruneAnalysis } from './modules/analysis/index.js';
import { startSyslog, type SyslogDeps, type SyslogReceiver } from './modules/syslog/index.js';

export type Role = 'api' | 'worker' | 'ai';

export interface Running {
  app: FastifyInstance;
  db: Db;
  log: Logger;
  security: Security;
  pipeline: Pipeline;
  ingest: IngestService;
  alerting: AlertingService;
  /** Stops accepting, finishes in-flight writes, closes the pools. */
  stop(): Promise<void>;
}

/** Creates the process logger: JSON lines, secrets in headers redacted. */
export function createLogger(cfg: Pick<Config, 'LOG_LEVEL' | 'LOG_PRETTY'>): Logger {
  return pino({
    level: cfg.LOG_LEVEL,
    redact: [
      'req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie', 'res.headers["set-cookie"]',
      // Bodies never reach the log on purpose; if one does by mistake, its secrets still do not.
      'password', 'secret', '*.password', '*.smtp_password', '*.secret', '*.token', '*.api_key',
    ],
    ...(cfg.LOG_PRETTY ? { transport: { target: 'pino/file', options: { destination: 1 } } } : {}),
  });
}

/** Redis for shared rate limits when configured: no offline queue, so an outage fails fast and limits are skipped. */
function connectRedis(cfg: Config, log: Logger): Redis | undefined {
  const url = cfg.redisUrl;
  if (!url) return undefined;
  const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on('error', (err: Error) => log.warn({ err: { message: err.message } }, 'redis (rate limits) unavailable'));
  return redis;
}

/** The dashboard directory to serve, or undefined when DASHBOARD_DIR=off. */
function dashboardDir(cfg: Config): string | undefined {
  if (cfg.DASHBOARD_DIR === 'off') return undefined;
  return cfg.DASHBOARD_DIR ?? defaultDashboardDir();
}

export interface StartOptions {
  /** Where the first start's admin password and ingest key are shown (default: stdout, never the log). */
  announce?: (text: string) => void;
  /** Base URL of the bundled LLM stand-in (`logsage demo`). */
  demoLlmUrl?: string;
}

/** Syslog is another door of the api role (when SYSLOG_PORT is set): it starts last, once the HTTP listener is up. */
async function startSyslogDoor(cfg: Config, roles: Role[], deps: Omit<SyslogDeps, 'config'>): Promise<SyslogReceiver | undefined> {
  if (!roles.includes('api') || cfg.SYSLOG_PORT === undefined) return undefined;
  return startSyslog({ ...deps, config: { ...cfg, SYSLOG_PORT: cfg.SYSLOG_PORT } });
}

/** Connects everything once and starts the chosen roles; the only place live clients are made. */
export async function startLogSage(cfg: Config, roles: Role[], log = createLogger(cfg), opts: StartOptions = {}): Promise<Running> {
  const db = await openDatabase(cfg);
  // DATABASE_READ_URL: the read API queries the replica; writes and read-your-writes paths keep `db`.
  const readDb = await openReadDatabase(cfg, log);
  let redis: Redis | undefined;
  let pipeline: Pipeline | undefined;
  const maintenance = startPartitionMaintenance({ db, log, retentionDays: cfg.RETENTION_DAYS, alsoExpire: () => pruneAnalysis(db, cfg.RETENTION_DAYS) });
  try {
    await maintenance.runOnce();
    const metrics = createMetrics(db);
    const ingest = createIngestService({
      db,
      metrics,
      retentionDays: cfg.RETENTION_DAYS,
      maxMessageBytes: cfg.MAX_MESSAGE_BYTES,
      maxPending: cfg.INGEST_MAX_PENDING,
      ensurePartitions: () => ensurePartitions(db, Date.now(), cfg.RETENTION_DAYS),
      analysedLevels: cfg.ANALYSIS_LEVELS,
    });
    const query = createQueryService({ db: readDb ?? db, maxRangeDays: cfg.QUERY_MAX_RANGE_DAYS, retentionDays: cfg.RETENTION_DAYS });
    // Delivery runs in the worker role; every role can manage channels and enqueue.
    const secretsKey = loadSecretsKey(cfg, log).key; // encrypts channel secrets at rest
    const notify = setupNotifications({ db, log, cfg, secretsKey, deliver: (roles as readonly string[]).includes('worker') });
    // Rules are evaluated in the worker role, next to delivery; every role serves the alerting API.
    const alerting = setupAlerting({ db, log, cfg, evaluate: (roles as readonly string[]).includes('worker') });
    const announce = opts.announce ?? ((text: string) => void process.stdout.write(`${text}\n`));
    redis = connectRedis(cfg, log); // the HTTP app (api role) is its only user
    const security = await startSecurity({ db, log, cfg, announce, ...(redis ? { redis } : {}) });
    pipeline = await startPipeline(cfg, db, log, roles, { demoLlmUrl: opts.demoLlmUrl, registry: metrics.registry, readDb });
    const app = await buildApp({ db, log, metrics, ingest, query, notify: notify.service, alerting: alerting.service, analysis: pipeline.analysis, maxBodyBytes: cfg.MAX_BODY_BYTES, security, dashboardDir: dashboardDir(cfg), maxEventLoopDelay: cfg.MAX_EVENT_LOOP_DELAY_MS });
    if (roles.includes('api')) await app.listen({ port: cfg.PORT, host: cfg.HOST });
    notify.start();
    alerting.start();
    const syslog = await startSyslogDoor(cfg, roles, { ingest, log, registry: metrics.registry });
    log.info({ roles, database: db.engine, port: cfg.PORT }, 'LogSage started');
    return {
      app,
      db,
      log,
      security,
      pipeline,
      ingest,
      alerting: alerting.service,
      async stop() {
        maintenance.stop();
        await app.close(); // stops accepting and waits for in-flight requests
        await syslog?.close(); // sends the lines its connections still hold
        await ingest.drain();
        await pipeline?.stop();
        await alerting.stop();
        await redis?.quit().catch(() => undefined);
        await notify.stop();
        await Promise.all([readDb?.close(), db.close()]);
      },
    };
  } catch (err) {
    maintenance.stop();
    redis?.disconnect();
    await pipeline?.stop().catch(() => undefined);
    await Promise.all([readDb?.close().catch(() => undefined), db.close()]);
    throw err;
  }
}
