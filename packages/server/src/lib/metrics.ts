import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The Prometheus series LogSage exports; one registry per app so tests can run several apps. */
export interface Metrics {
  registry: Registry;
  ingested: Counter<'protocol'>;
  rejected: Counter<'reason' | 'protocol'>;
  duplicates: Counter<'protocol'>;
  flushes: Counter;
  httpDuration: Histogram<'method' | 'route' | 'status_code'>;
}

/** Pool figures at scrape time: what the database layer reports (lib/ sits below db/, so only the shape). */
interface PoolSource {
  poolStats(): { total: number; idle: number; waiting: number };
}

/** Creates the registry, the counters, and gauges that read pool usage at scrape time. */
export function createMetrics(db: PoolSource): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'logsage_' });
  const pool = (name: string, help: string, pick: (s: ReturnType<PoolSource['poolStats']>) => number): void => {
    new Gauge({ name, help, registers: [registry], collect() { this.set(pick(db.poolStats())); } });
  };
  pool('logsage_db_pool_connections', 'Database connections open', (s) => s.total);
  pool('logsage_db_pool_idle', 'Database connections idle', (s) => s.idle);
  pool('logsage_db_pool_waiting', 'Queries waiting for a database connection', (s) => s.waiting);
  return {
    registry,
    ingested: new Counter({ name: 'logsage_ingested_logs_total', help: 'Log entries stored, by the door they came in', labelNames: ['protocol'], registers: [registry] }),
    rejected: new Counter({
      name: 'logsage_rejected_logs_total',
      help: 'Log entries refused, by the field at fault and the door they came in',
      labelNames: ['reason', 'protocol'],
      registers: [registry],
    }),
    duplicates: new Counter({
      name: 'logsage_duplicate_logs_total',
      help: 'Log entries whose event id was already stored, by the door they came in',
      labelNames: ['protocol'],
      registers: [registry],
    }),
    flushes: new Counter({
      name: 'logsage_ingest_flushes_total',
      help: 'Group commits written (each holds the entries of one or more requests)',
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'logsage_http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
  };
}
