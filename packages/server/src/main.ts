import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { Redis } from 'ioredis';
import type { Config } from './config/index.js';
import { openDatabase, openReadDatabase, type Db } from './db/index.js';
import { buildApp } from './http/app.js';
import { defaultDashboardDir } from './http/dashboard.js';
import { createMetrics } from './lib/metrics.js';
import { createIngestService, type IngestService } from './modules/ingest/index.js';
import { createQueryService } from './modules/query/index.js';
import { loadSecretsKey, setupNotifications } from './modules/notify/index.js';
import { setupAlerting, type AlertingService } from './modules/alerting/index.js';
import { ensurePartitions, startPartitionMaintenance } from './modules/retention/index.js';
import { startSecurity, type Security } from './modules/auth/index.js';
import { countOpenIncidents } from './modules/incidents/index.js';
import { budgetSettings, createAnalysisService, grpcAiBackend, pruneAnalysis, registerAnalysisMetrics, type AnalysisService, type AnalysisWorker } from './modules/analysis/index.js';
import { createQueue, type JobQueue } from './queue/index.js';
import type { RunningAiService } from '@logsage/ai-service';
import { aiUrl, startAiRole } from './roles/ai.js';
import { startApiRole } from './roles/api.js';
import { startWorkerRole, type WorkerRole } from './roles/worker.js';

export type Role = 'api' | 'worker' | 'ai';

export interface Running {
  app: FastifyInstance;
  db: Db;
  log: Logger;
  security: Security;
  ingest: IngestService;
  analysis: AnalysisService;
  /** The analysis worker when this process runs the worker role. */
  worker: AnalysisWorker | undefined;
  /** The ai role's gRPC port when this process runs it. */
  aiPort: number | undefined;
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
async function connectRedis(cfg: Config, log: Logger): Promise<Redis | undefined> {
  const url = cfg.redisUrl;
  if (!url) return undefined;
  const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on('error', (err: Error) => log.warn({ err: { message: err.message } }, 'redis (rate limits) unavailable'));
  await redisReady(redis, 2000);
  return redis;
}

/**
 * Waits up to `ms` for the rate limits' Redis connection. Without its offline queue a command sent
 * while it connects fails, and the limits let such requests pass uncounted (they fail open): a fresh
 * api process would count nothing for its first moments. A Redis that is down does not hold the
 * start beyond `ms`; the limits then fail open until it answers, as they do in any outage.
 */
async function redisReady(redis: Redis, ms: number): Promise<void> {
  if (redis.status === 'ready') return;
  let timer: NodeJS.Timeout | undefined;
  await new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    redis.once('ready', resolve);
  });
  clearTimeout(timer);
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
  /** The clock of LLM usage days and budgets (tests move it to the next day); default Date.now. */
  now?: () => number;
}

/** Connects everything once, builds the services every role shares, then starts the chosen roles. */
export async function startLogSage(cfg: Config, roles: Role[], log = createLogger(cfg), opts: StartOptions = {}): Promise<Running> {
  const db = await openDatabase(cfg);
  // DATABASE_READ_URL: the read API queries the replica; writes and read-your-writes paths keep `db`.
  const readDb = await openReadDatabase(cfg, log);
  let redis: Redis | undefined;
  let ai: RunningAiService | undefined;
  let queue: JobQueue | undefined;
  let worker: WorkerRole | undefined;
  const maintenance = startPartitionMaintenance({ db, log, retentionDays: cfg.RETENTION_DAYS, alsoExpire: () => pruneAnalysis(db, cfg.RETENTION_DAYS) });
  try {
    await maintenance.runOnce();
    const metrics = createMetrics(db, readDb);
    const ingest = createIngestService({
      db, metrics, retentionDays: cfg.RETENTION_DAYS, maxMessageBytes: cfg.MAX_MESSAGE_BYTES, maxPending: cfg.INGEST_MAX_PENDING,
      ensurePartitions: () => ensurePartitions(db, Date.now(), cfg.RETENTION_DAYS), analysedLevels: cfg.ANALYSIS_LEVELS,
    });
    const query = createQueryService({ db: readDb ?? db, maxRangeDays: cfg.QUERY_MAX_RANGE_DAYS, retentionDays: cfg.RETENTION_DAYS });
    const secretsKey = loadSecretsKey(cfg, log).key; // encrypts channel secrets at rest
    const notify = setupNotifications({ db, log, cfg, secretsKey });
    const alerting = setupAlerting({ db, log, cfg });
    const announce = opts.announce ?? ((text: string) => void process.stdout.write(`${text}\n`));
    redis = await connectRedis(cfg, log); // the HTTP app is its only user
    const security = await startSecurity({ db, log, cfg, announce, ...(redis ? { redis } : {}) });
    if (roles.includes('ai')) ai = await startAiRole(cfg, log, opts.demoLlmUrl);
    const backend = grpcAiBackend({ url: aiUrl(cfg, ai), token: cfg.AI_SERVICE_TOKEN, deadlineMs: 15 * 60_000, language: cfg.ANALYSIS_LANGUAGE });
    queue = createAnalysisQueue(cfg, db, log);
    const analysisMetrics = registerAnalysisMetrics(metrics.registry, db);
    const analysis = createAnalysisService({ db, readDb, queue, ai: backend, budget: budgetSettings(cfg), now: opts.now, openIncidents: () => countOpenIncidents(db) });
    // Every role builds the app (tests and the demo inject into it); only the api role listens.
    const app = await buildApp({ db, log, metrics, ingest, query, notify: notify.service, alerting: alerting.service, analysis, maxBodyBytes: cfg.MAX_BODY_BYTES, security, dashboardDir: dashboardDir(cfg), maxEventLoopDelay: cfg.MAX_EVENT_LOOP_DELAY_MS });
    if (roles.includes('worker')) {
      worker = startWorkerRole({ cfg, db, queue, ai: backend, log, notify, alerting, onResults: (n) => analysisMetrics.results.inc(n), now: opts.now });
    }
    const api = roles.includes('api') ? await startApiRole({ cfg, app, ingest, log, registry: metrics.registry }) : undefined;
    log.info({ roles, database: db.engine, port: cfg.PORT }, 'LogSage started');
    const jobs = queue;
    return {
      app, db, log, security, ingest, analysis,
      alerting: alerting.service,
      worker: worker?.analysis,
      aiPort: ai?.port,
      async stop() {
        maintenance.stop();
        await (api ? api.close() : app.close()); // stops accepting and waits for in-flight requests
        await ingest.drain();
        if (worker) await worker.stop(); // closes the queue too
        else await jobs.close();
        backend.close();
        await ai?.close();
        await redis?.quit().catch(() => undefined);
        await Promise.all([readDb?.close(), db.close()]);
      },
    };
  } catch (err) {
    maintenance.stop();
    redis?.disconnect();
    await (worker ? worker.stop() : queue?.close())?.catch(() => undefined);
    await ai?.close().catch(() => undefined);
    await Promise.all([readDb?.close().catch(() => undefined), db.close()]);
    throw err;
  }
}

/** The analysis job queue: Redis (BullMQ) when configured, the database's jobs table otherwise. */
function createAnalysisQueue(cfg: Config, db: Db, log: Logger): JobQueue {
  return createQueue({
    db,
    redisUrl: cfg.redisUrl,
    prefix: cfg.REDIS_PREFIX,
    // One more than the handler's own limit: the handler parks the work itself on its last attempt.
    attempts: cfg.ANALYSIS_ATTEMPTS + 1,
    retryBaseMs: cfg.ANALYSIS_RETRY_BASE_MS,
    lockMs: cfg.ANALYSIS_JOB_LOCK_MS,
    log: log.child({ role: 'worker' }),
  });
}
