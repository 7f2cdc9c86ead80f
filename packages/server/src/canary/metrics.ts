// The canary's Prometheus series (logsage_canary_*) and the small HTTP server that exposes them.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CountName, LedgerSink } from './ledger.js';

const HELP: Record<CountName, string> = {
  written: 'Entries created to be written',
  acked: 'Entries the server acknowledged (stored)',
  rejected: 'Entries the server rejected for good (per-entry reasons)',
  read: 'Acknowledged entries read back at least once',
  analysed: 'Entries read back with their analysis done',
  skipped: 'Entries whose level the server does not analyse',
  missing: 'Acknowledged entries declared missing (not readable after the grace period)',
  late: 'Entries found again after they had been declared missing',
  duplicated: 'Entries stored more than once (one event id, several logs)',
  reanalysed: 'Entries whose analysis changed after it was first seen done',
  unexpected: 'Rows carrying this run\'s event id prefix that the canary never wrote',
};

/** Creates the registry and a sink that feeds it from the ledger. */
export function createCanaryMetrics(runId: string): { registry: Registry; sink: LedgerSink } {
  const registry = new Registry();
  registry.setDefaultLabels({ run_id: runId });
  const counters = Object.fromEntries(
    (Object.keys(HELP) as CountName[]).map((k) => [k, new Counter({ name: `logsage_canary_${k}_entries_total`, help: HELP[k], registers: [registry] })]),
  ) as Record<CountName, Counter>;
  const refused = new Counter({
    name: 'logsage_canary_refused_requests_total',
    help: 'Requests refused with 429 or 503, by operation, status and whether Retry-After was sent',
    labelNames: ['op', 'status', 'retry_after'],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'logsage_canary_failed_requests_total',
    help: 'Requests that failed otherwise, by operation and reason (a status code, network, timeout)',
    labelNames: ['op', 'reason'],
    registers: [registry],
  });
  const missing = new Gauge({ name: 'logsage_canary_missing_now', help: 'Acknowledged entries not readable now', registers: [registry] });
  const buckets = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300];
  const hist = {
    read: new Histogram({ name: 'logsage_canary_write_to_read_seconds', help: 'From an entry\'s write to its first read', buckets, registers: [registry] }),
    analysis: new Histogram({ name: 'logsage_canary_write_to_analysis_seconds', help: 'From an entry\'s write to its analysis', buckets, registers: [registry] }),
  };
  const sink: LedgerSink = {
    count: (what, n = 1) => counters[what].inc(n),
    refused: (op, status, retryAfter) => refused.inc({ op, status: String(status), retry_after: retryAfter ? 'yes' : 'no' }),
    error: (op, reason) => errors.inc({ op, reason }),
    latency: (kind, s) => hist[kind].observe(s),
    missingNow: (n) => missing.set(n),
  };
  return { registry, sink };
}

/** Serves GET /metrics on host:port (0: any free port); resolves with the server and its URL. */
export async function serveMetrics(registry: Registry, host: string, port: number): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found; try /metrics\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err)),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  return { server, url: `http://${host.includes(':') ? `[${host}]` : host}:${bound.port}/metrics` };
}
