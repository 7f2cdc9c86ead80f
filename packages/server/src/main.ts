import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import type { Config } from './config/index.js';
import { openDatabase, type Db } from './db/index.js';
import { buildApp } from './http/app.js';
import { createMetrics } from './http/metrics.js';
import { createIngestService } from './modules/ingest/index.js';
import { createQueryService } from './modules/query/index.js';
import { ensurePartitions, startPartitionMaintenance } from './modules/retention/index.js';

export type Role = 'api';

export interface Running {
  app: FastifyInstance;
  db: Db;
  log: Logger;
  /** Stops accepting, finishes in-flight writes, closes the pools. */
  stop(): Promise<void>;
}

/** Creates the process logger: JSON lines, secrets in headers redacted. */
export function createLogger(cfg: Pick<Config, 'LOG_LEVEL' | 'LOG_PRETTY'>): Logger {
  return pino({
    level: cfg.LOG_LEVEL,
    redact: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'],
    ...(cfg.LOG_PRETTY ? { transport: { target: 'pino/file', options: { destination: 1 } } } : {}),
  });
}

/** Connects everything once and starts the chosen roles; the only place live clients are made. */
export async function startLogSage(cfg: Config, roles: Role[], log = createLogger(cfg)): Promise<Running> {
  const db = await openDatabase(cfg);
  const maintenance = startPartitionMaintenance({ db, log, retentionDays: cfg.RETENTION_DAYS });
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
    });
    const query = createQueryService({ db, maxRangeDays: cfg.QUERY_MAX_RANGE_DAYS, retentionDays: cfg.RETENTION_DAYS });
    const app = await buildApp({ db, log, metrics, ingest, query, maxBodyBytes: cfg.MAX_BODY_BYTES });
    if (roles.includes('api')) await app.listen({ port: cfg.PORT, host: cfg.HOST });
    log.info({ roles, database: db.engine, port: cfg.PORT }, 'LogSage started');
    return {
      app,
      db,
      log,
      async stop() {
        maintenance.stop();
        await app.close(); // stops accepting and waits for in-flight requests
        await ingest.drain();
        await db.close();
      },
    };
  } catch (err) {
    maintenance.stop();
    await db.close();
    throw err;
  }
}
