import type { Logger } from 'pino';
import type { Config } from '../../config/index.js';
import type { Db } from '../../db/types.js';
import { startAlertEngine, type AlertDefaults, type AlertEngine } from './engine.js';
import { createAlertingService, type AlertingService } from './service.js';

type AlertingConfig = Pick<
  Config,
  'ALERT_EVAL_INTERVAL_MS' | 'ALERT_EVAL_BATCH' | 'ALERT_GROUP_WAIT_SECONDS' | 'ALERT_GROUP_INTERVAL_SECONDS' | 'ALERT_REPEAT_INTERVAL_SECONDS' | 'ALERT_RESOLVE_AFTER_MINUTES'
>;

export interface Alerting {
  service: AlertingService;
  /** Starts the engine when this process evaluates (worker role); idempotent. */
  start(): void;
  stop(): Promise<void>;
}

/** The rule timing defaults from the configuration. */
export function alertDefaults(cfg: AlertingConfig): AlertDefaults {
  return {
    groupWaitSeconds: cfg.ALERT_GROUP_WAIT_SECONDS,
    groupIntervalSeconds: cfg.ALERT_GROUP_INTERVAL_SECONDS,
    repeatIntervalSeconds: cfg.ALERT_REPEAT_INTERVAL_SECONDS,
    resolveAfterMinutes: cfg.ALERT_RESOLVE_AFTER_MINUTES,
  };
}

/** Builds the alerting API service for every role, and the engine the worker role starts. */
export function setupAlerting(deps: { db: Db; log: Logger; cfg: AlertingConfig }): Alerting {
  const defaults = alertDefaults(deps.cfg);
  let engine: AlertEngine | undefined;
  return {
    service: createAlertingService({ db: deps.db, defaults }),
    start() {
      if (engine) return;
      engine = startAlertEngine({
        db: deps.db,
        log: deps.log.child({ module: 'alerting' }),
        defaults,
        intervalMs: deps.cfg.ALERT_EVAL_INTERVAL_MS,
        batchSize: deps.cfg.ALERT_EVAL_BATCH,
      });
    },
    async stop() {
      await engine?.stop();
    },
  };
}
