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

/**
 * Creates the registry, the counters, and gauges that read pool usage at scrape time: the primary's
 * pool, and the read replica's (DATABASE_READ_URL) under `logsage_db_read_pool_*` when there is one,
 * so a replica that queues the read API's queries shows as such instead of hiding behind the primary.
 */
export function createMetrics(db: PoolSource, readDb?: PoolSource): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'logsage_' });
  const pools: [string, string, PoolSource][] = [['logsage_db_pool', 'Database', db]];
  if (readDb) pools.push(['logsage_db_read_pool', 'Read replica', readDb]);
  for (const [prefix, what, source] of pools) {
    const pool = (name: string, help: string, pick: (s: ReturnType<PoolSource['poolStats']>) => number): void => {
      new Gauge({ name: `${prefix}_${name}`, help: `${what} ${help}`, registers: [registry], collect() { this.set(pick(source.poolStats())); } });
    };
    pool('connections', 'connections open', (s) => s.total);
    pool('idle', 'connections idle', (s) => s.idle);
    pool('waiting', 'queries waiting for a connection', (s) => s.waiting);
  }
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
