import { Counter, Gauge, type Registry } from 'prom-client';
import type { Db } from '../../db/types.js';
import { backlog, usageToday } from './repo-read.js';

/**
 * Analysis series on the app's registry: results written by this process, the backlog by stage and
 * today's LLM usage (both read from the database at scrape time, so every role reports the same).
 */
export function registerAnalysisMetrics(registry: Registry, db: Db): { results: Counter } {
  new Gauge({
    name: 'logsage_analysis_backlog',
    help: 'Analysis work owed, by stage (pending logs, verdicts open, scheduled, parked)',
    labelNames: ['stage'],
    registers: [registry],
    async collect() {
      const b = await backlog(db).catch(() => undefined);
      if (!b) return;
      this.set({ stage: 'pending_logs' }, b.pending_logs);
      this.set({ stage: 'open' }, b.open);
      this.set({ stage: 'scheduled' }, b.scheduled);
      this.set({ stage: 'parked' }, b.parked);
    },
  });
  new Gauge({
    name: 'logsage_llm_usage_today',
    help: 'LLM calls and tokens since midnight UTC, all models',
    labelNames: ['kind'],
    registers: [registry],
    async collect() {
      const u = await usageToday(db).catch(() => undefined);
      if (!u) return;
      for (const [kind, v] of Object.entries(u)) this.set({ kind }, v);
    },
  });
  return {
    results: new Counter({ name: 'logsage_analysis_results_total', help: 'Analysis results written by this process', registers: [registry] }),
  };
}
