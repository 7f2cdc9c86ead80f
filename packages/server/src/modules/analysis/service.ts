import type { Db } from '../../db/types.js';
import { replicaStatus } from '../../db/replica.js';
import { AppError, guardDb } from '../../http/errors.js';
import type { JobQueue } from '../../queue/index.js';
import { splitList } from '../../lib/range.js';
import { analysisSummary, sparklines } from './dashboard.js';
import { backlog, findTemplate, listParked, listTemplates, redrive, usageByDay, usageToday, type TemplateRow } from './repo-read.js';
import type { AiBackend, AiStatus } from './types.js';

export interface AnalysisServiceDeps {
  db: Db;
  /** The replica's pool (DATABASE_READ_URL) for the dashboard's reads; undefined: they use `db`. */
  readDb?: Db | undefined;
  queue: JobQueue;
  ai: AiBackend;
  now?: () => number;
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

/** Read side of the analysis pipeline: templates, the dashboard's summary, backlog, provider status, parked work. */
export function createAnalysisService(deps: AnalysisServiceDeps) {
  const now = deps.now ?? Date.now;
  // Templates and the summary are what the dashboard polls: they may trail ingest by the replica's lag.
  const reads = deps.readDb ?? deps.db;
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
      const [ai, b, usage, replica] = await Promise.all([
        deps.ai.status().catch(() => UNREACHABLE), guardDb(backlog(deps.db)), guardDb(usageToday(deps.db)),
        deps.readDb ? replicaStatus(deps.readDb) : null,
      ]);
      const waiting = !ai.reachable || !ai.configured ? ai.reason : ai.circuitState === 'open' ? `the LLM circuit is open: ${ai.lastError}` : '';
      return {
        analysis: { state: waiting ? 'waiting' : 'running', reason: waiting || null, queue: deps.queue.kind },
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
        usage_today: usage,
        // null: no DATABASE_READ_URL, every read is on the primary.
        replica,
      };
    },
    async usage(days: number) {
      return { days: await guardDb(usageByDay(deps.db, days)) };
    },
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
