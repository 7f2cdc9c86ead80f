import type { Db } from '../../db/types.js';
import type { JobQueue } from '../../queue/index.js';
import { Assigner } from './assigner.js';
import { createJobHandler } from './job.js';
import { reconcile } from './reconciler.js';
import { scheduleBatches } from './scheduler.js';
import type { AiBackend, AiStatus, AnalysisSettings } from './types.js';
import { budgetWaiter, type BudgetGate } from './budget.js';

export interface WorkerDeps {
  db: Db;
  queue: JobQueue;
  ai: AiBackend;
  settings: AnalysisSettings;
  log: { info: (o: object, m: string) => void; warn: (o: object, m: string) => void; error: (o: object, m: string) => void };
  /** Called after results were written (the alert engine listens). */
  onResults?: (n: number) => void;
  /** The daily LLM budgets: past one, no batch is cut (template verdicts still flow). */
  budget?: BudgetGate | undefined;
  /** The clock that dates LLM usage (tests move it to the next day). */
  now?: (() => number) | undefined;
}

export interface AnalysisWorker {
  /** One assign + schedule pass (tests drive it directly). */
  pump(): Promise<{ assigned: number; scheduled: number }>;
  reconcile(): ReturnType<typeof reconcile>;
  stop(): Promise<void>;
}

const IDLE_MS = 200;
const STATUS_TTL_MS = 5000;
const BUDGET_TTL_MS = 1000;

/**
 * The worker role: assigns templates to pending logs, cuts LLM batches, runs them from the queue,
 * and reconciles what queues lost. Scheduling waits while the ai role has no provider or its circuit
 * is open, so work pauses instead of failing.
 */
export function startAnalysisWorker(deps: WorkerDeps): AnalysisWorker {
  const { db, queue, settings: s, log } = deps;
  const assigner = new Assigner(db, s.assignBatch);
  let running = true;
  let status: { at: number; value: AiStatus | undefined } = { at: 0, value: undefined };
  let lastReason = '';
  const budgetWait = deps.budget ? budgetWaiter(deps.budget, BUDGET_TTL_MS) : () => Promise.resolve('');

  const readyForWork = async (): Promise<boolean> => {
    if (Date.now() - status.at > STATUS_TTL_MS) status = { at: Date.now(), value: await deps.ai.status().catch(() => undefined) };
    const st = status.value;
    const reason = !st ? 'the ai role does not answer' : !st.configured ? st.reason : st.circuitState === 'open' ? `the LLM circuit is open: ${st.lastError}` : await budgetWait();
    if (reason !== lastReason) {
      if (reason) log.warn({ reason }, 'analysis is waiting');
      else log.info({ provider: st?.provider, model: st?.model }, 'analysis is running');
      lastReason = reason;
    }
    return reason === '';
  };

  const pump = async (): Promise<{ assigned: number; scheduled: number }> => {
    const a = await assigner.run();
    const scheduled = (await readyForWork()) ? await scheduleBatches(db, queue, { batchSize: s.batchSize, maxWaitMs: s.maxWaitMs, maxBatches: s.workers * 4 }) : 0;
    if (a.fromCache > 0) deps.onResults?.(a.fromCache);
    return { assigned: a.assigned, scheduled };
  };

  const loop = (async () => {
    while (running) {
      let busy = false;
      try {
        busy = (await pump()).assigned >= s.assignBatch;
      } catch (err) {
        log.error({ err }, 'analysis pass failed; retrying');
      }
      if (!busy) await new Promise((r) => setTimeout(r, IDLE_MS));
    }
  })();

  const runReconcile = () => reconcile(db, queue, { staleMs: s.staleMs });
  const timer = setInterval(() => {
    runReconcile().then(
      (r) => {
        if (r.reopened + r.resolved + r.unkeyed > 0) log.info(r, 'reconciler recovered analysis work');
      },
      (err: unknown) => log.error({ err }, 'reconciler pass failed'),
    );
  }, Math.min(30_000, Math.max(500, Math.floor(s.staleMs / 2))));
  timer.unref();

  queue.process(
    createJobHandler({ db, ai: deps.ai, attempts: s.attempts, verdictTtlS: s.verdictTtlS, log, onResults: deps.onResults, budget: deps.budget, now: deps.now }),
    s.workers,
  );

  return {
    pump,
    reconcile: runReconcile,
    async stop() {
      running = false;
      clearInterval(timer);
      await loop;
      await queue.close();
    },
  };
}
