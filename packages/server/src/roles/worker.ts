// The worker role: analysis (templates, LLM batches, results), incidents, alert evaluation and
// notification delivery. Every loop that acts on stored data in the background runs here and nowhere else.
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import type { Db } from '../db/types.js';
import type { JobQueue } from '../queue/index.js';
import { budgetSettings, createBudgetGate, startAnalysisWorker, type AiBackend, type AnalysisWorker } from '../modules/analysis/index.js';
import type { Notifications } from '../modules/notify/index.js';
import type { Alerting } from '../modules/alerting/index.js';
import { startIncidentLoop } from '../modules/incidents/index.js';

export interface WorkerRoleDeps {
  cfg: Config;
  db: Db;
  queue: JobQueue;
  ai: AiBackend;
  log: Logger;
  /** Counts stored results (the analysis metrics every role's /metrics shows). */
  onResults: (n: number) => void;
  notify: Notifications;
  alerting: Alerting;
  /** The clock of LLM usage days and budgets; default Date.now. */
  now?: (() => number) | undefined;
}

export interface WorkerRole {
  analysis: AnalysisWorker;
  stop(): Promise<void>;
}

/** Starts the analysis worker, the incident loop, the alert engine and the delivery worker. */
export function startWorkerRole(d: WorkerRoleDeps): WorkerRole {
  const { cfg } = d;
  const now = d.now ?? Date.now;
  const analysis = startAnalysisWorker({
    budget: createBudgetGate({ db: d.db, settings: budgetSettings(cfg), now, log: d.log }),
    now,
    db: d.db,
    queue: d.queue,
    ai: d.ai,
    log: d.log.child({ role: 'worker' }),
    onResults: d.onResults,
    settings: {
      batchSize: cfg.ANALYSIS_BATCH_SIZE,
      maxWaitMs: cfg.ANALYSIS_MAX_WAIT_MS,
      workers: cfg.ANALYSIS_WORKERS,
      attempts: cfg.ANALYSIS_ATTEMPTS,
      retryBaseMs: cfg.ANALYSIS_RETRY_BASE_MS,
      verdictTtlS: cfg.ANALYSIS_VERDICT_TTL_S,
      staleMs: cfg.ANALYSIS_STALE_MS,
      assignBatch: 2000,
    },
  });
  // Incidents read the counts the assign pass keeps and tell alerting of each change, on the same clock as budgets.
  const incidents = startIncidentLoop({ cfg, db: d.db, ai: d.ai, log: d.log.child({ role: 'worker' }), now });
  d.notify.start();
  d.alerting.start();
  return {
    analysis,
    async stop() {
      await incidents?.stop();
      await analysis.stop();
      await d.alerting.stop();
      await d.notify.stop();
    },
  };
}
