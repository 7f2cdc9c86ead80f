import type { Db } from '../../db/types.js';
import { replicaStatus } from '../../db/replica.js';
import { AppError, guardDb } from '../../lib/errors.js';
import type { JobQueue } from '../../queue/index.js';
import { splitList } from '../../lib/range.js';
import { analysisSummary, sparklines } from './dashboard.js';
import { backlog, findTemplate, listParked, listTemplates, redrive, type TemplateRow } from './repo-read.js';
import { budgetReason, budgetState, type BudgetSettings } from './budget.js';
import { priceTable } from './prices.js';
import { usageReport, type UsageDay } from './usage.js';
import type { AiBackend, AiStatus } from './types.js';

export interface AnalysisServiceDeps {
  db: Db;
  /** The replica's pool (DATABASE_READ_URL) for the dashboard's reads; undefined: they use `db`. */
  readDb?: Db | undefined;
  queue: JobQueue;
  ai: AiBackend;
  now?: (() => number) | undefined;
  /** Prices and daily budgets; undefined: built-in prices, no budget. */
  budget?: BudgetSettings | undefined;
  /** Open incidents for the status line (the incidents module's count); undefined: the status leaves them out. */
  openIncidents?: (() => Promise<number>) | undefined;
}

export interface TemplateQuery {
  order: 'count' | 'last_seen';
  limit: number;
  offset: number;
  q?: string;
  /** Services separated by commas. */
  service?: string;
  sparkline?: boolean;
}

const shapeTemplate = (t: TemplateRow) => ({
  id: t.id,
  template: t.template,
  sample: t.sample,
  count: Number(t.count),
  first_seen: t.first_seen,
  last_seen: t.last_seen,
  parameter_dependent: t.parameter_dependent,
  verdict: t.verdict_state
    ? { state: t.verdict_state, ...(t.verdict ?? {}), analysed_at: t.analysed_at, expires_at: t.expires_at, model: t.model, demo: t.demo ?? false }
    : null,
});

const UNREACHABLE: AiStatus = {
  reachable: false,
  configured: false,
  reason: 'the ai role does not answer (is `logsage ai` running, and AI_SERVICE_URL right?)',
  provider: '',
  model: '',
  circuitState: 'unknown',
  circuitRetryInMs: 0,
  lastError: '',
  demo: false,
};

/** Today's calls, tokens and cost per currency (the status line of the dashboard). */
const todayTotals = (d: UsageDay | undefined) => ({
  calls: d?.calls ?? 0, prompt_tokens: d?.prompt_tokens ?? 0, completion_tokens: d?.completion_tokens ?? 0,
  reasoning_tokens: d?.reasoning_tokens ?? 0, cost: d?.cost ?? {},
});

/** Read side of the analysis pipeline: templates, the dashboard's summary, backlog, provider status, parked work. */
export function createAnalysisService(deps: AnalysisServiceDeps) {
  const now = deps.now ?? Date.now;
  // Templates and the summary are what the dashboard polls: they may trail ingest by the replica's lag.
  const reads = deps.readDb ?? deps.db;
  const budget: BudgetSettings = deps.budget ?? { prices: priceTable(), tokens: 0, cost: undefined, notifyChannels: [], language: 'en' };
  return {
    async templates(o: TemplateQuery) {
      const services = splitList(o.service);
      const { rows, total } = await guardDb(listTemplates(reads, { ...o, services }));
      if (!o.sparkline) return { templates: rows.map(shapeTemplate), total };
      const lines = await sparklines(reads, rows.map((t) => t.id), now(), services);
      return { templates: rows.map((t) => ({ ...shapeTemplate(t), sparkline: lines.get(t.id) })), total };
    },
    async template(id: string) {
      const t = await guardDb(findTemplate(reads, id));
      if (!t) throw new AppError('not_found', `no template with id ${id}`);
      return { ...shapeTemplate(t), sparkline: (await sparklines(reads, [id], now())).get(id) };
    },
    summary: (query: { from?: string; to?: string; bucket?: number }) => analysisSummary(reads, query, now()),
    async queueStats() {
      const [b, counts, healthy] = await Promise.all([guardDb(backlog(deps.db)), deps.queue.counts().catch(() => ({})), deps.queue.healthy()]);
      return { queue: { kind: deps.queue.kind, healthy, jobs: counts }, backlog: b };
    },
    async status() {
      const [ai, b, usage, replica, day, open] = await Promise.all([
        deps.ai.status().catch(() => UNREACHABLE), guardDb(backlog(deps.db)), guardDb(usageReport(deps.db, budget.prices, 1, now())),
        deps.readDb ? replicaStatus(deps.readDb) : null, guardDb(budgetState(deps.db, budget, now())),
        deps.openIncidents ? guardDb(deps.openIncidents()) : undefined,
      ]);
      const code = !ai.reachable || !ai.configured ? 'provider' : ai.circuitState === 'open' ? 'circuit' : day.reached ? 'budget' : null;
      const waiting = code === 'provider' ? ai.reason : code === 'circuit' ? `the LLM circuit is open: ${ai.lastError}` : code === 'budget' ? budgetReason(day) : '';
      return {
        analysis: { state: waiting ? 'waiting' : 'running', reason: waiting || null, reason_code: code, queue: deps.queue.kind },
        llm: {
          reachable: ai.reachable,
          configured: ai.configured,
          provider: ai.provider || null,
          model: ai.model || null,
          circuit: ai.circuitState,
          circuit_retry_in_ms: ai.circuitRetryInMs,
          last_error: ai.lastError || null,
          demo: ai.demo,
        },
        backlog: b,
        usage_today: todayTotals(usage.days[0]),
        // Today's tokens and cost against LLM_DAILY_TOKEN_BUDGET and LLM_DAILY_COST_BUDGET.
        budget: day,
        // null: no DATABASE_READ_URL, every read is on the primary.
        replica,
        ...(open === undefined ? {} : { incidents: { open } }),
      };
    },
    usage: (days: number) => guardDb(usageReport(deps.db, budget.prices, days, now())),
    async parked(limit: number) {
      const rows = await guardDb(listParked(deps.db, limit));
      return { parked: rows.map((r) => ({ ...r, waiting_logs: Number(r.waiting_logs) })) };
    },
    async redrive(keys: string[] | undefined) {
      return { reopened: await guardDb(redrive(deps.db, keys)) };
    },
  };
}

export type AnalysisService = ReturnType<typeof createAnalysisService>;
