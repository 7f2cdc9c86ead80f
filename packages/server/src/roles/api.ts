// The api role: the HTTP listener (ingest, query, management, dashboard) and, when SYSLOG_PORT is
// set, the syslog receiver, another door into the same ingest service.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Config } from '../config/index.js';
import type { IngestService } from '../modules/ingest/index.js';
import { startSyslog } from '../modules/syslog/index.js';

export interface ApiRole {
  /** Stops accepting and waits for in-flight requests and the lines syslog connections still hold. */
  close(): Promise<void>;
}

/** Listens on HOST:PORT, then opens the syslog door once the HTTP listener is up. */
export async function startApiRole(d: { cfg: Config; app: FastifyInstance; ingest: IngestService; log: Logger; registry: Registry }): Promise<ApiRole> {
  const { cfg } = d;
  await d.app.listen({ port: cfg.PORT, host: cfg.HOST });
  const syslog = cfg.SYSLOG_PORT === undefined
    ? undefined
    : await startSyslog({ ingest: d.ingest, log: d.log, registry: d.registry, config: { ...cfg, SYSLOG_PORT: cfg.SYSLOG_PORT } });
  return {
    async close() {
      await d.app.close();
      await syslog?.close();
    },
  };
}
