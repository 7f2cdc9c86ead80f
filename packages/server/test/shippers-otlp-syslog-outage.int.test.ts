import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { LightMyRequestResponse } from 'fastify';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { hasPostgres, startRelayedTestServer, type TestServer } from './helpers.js';
import { startSyslog, type SyslogReceiver } from '../src/modules/syslog/index.js';
import { ingestKey, readByToken, run, syslogClientsMissing, uniqueToken, waitForCount } from './shippers-otlp-syslog-helpers.js';

const missing = syslogClientsMissing();

describe.skipIf(!hasPostgres())('shippers across a database outage', () => {
  let s: TestServer;
  let proxy: Awaited<ReturnType<typeof startRelayedTestServer>>['proxy'];
  let direct: pg.Client;
  let cleanup: () => Promise<void>;
  let base: string;
  beforeAll(async () => {
    let directUrl: string;
    ({ s, proxy, directUrl, cleanup } = await startRelayedTestServer());
    direct = new pg.Client(directUrl);
    await direct.connect();
    base = await s.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await direct.end();
    await cleanup();
  });

  const stored = async (token: string): Promise<number> =>
    Number((await direct.query<{ n: string }>('SELECT count(*) AS n FROM logs WHERE message LIKE $1', [`%${token}%`])).rows[0]!.n);
  const answered503 = async (): Promise<number> => {
    const m: LightMyRequestResponse = await s.app.inject({ method: 'GET', url: '/metrics' });
    const line = m.body.split('\n').find((l) => l.startsWith('logsage_http_request_duration_seconds_count{') && l.includes('route="/v1/logs"') && l.includes('status_code="503"'));
    return line ? Number(line.split(' ').at(-1)) : 0;
  };

  it('OTLP: answers 503 + Retry-After while the database is away, the SDK exporter retries, and every record is stored once', async () => {
    const token = uniqueToken('oo');
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'outage' }),
      processors: [new BatchLogRecordProcessor({
        exporter: new OTLPLogExporter({ url: `${base}/v1/logs`, headers: { Authorization: `Bearer ${await ingestKey(s)}` }, timeoutMillis: 60_000 }),
        maxExportBatchSize: 250, maxQueueSize: 2000, exportTimeoutMillis: 60_000,
      })],
    });
    const logger = provider.getLogger('outage');
    const before = await answered503();
    await proxy.cut();
    for (let i = 0; i < 1000; i++) logger.emit({ severityNumber: SeverityNumber.ERROR, body: `${token} during ${i}`, attributes: { i } });
    const flushed = provider.forceFlush();
    // Restore only once the server has refused an export at least once.
    for (let t = 0; t < 100 && (await answered503()) === before; t++) await new Promise((r) => setTimeout(r, 100));
    expect(await answered503()).toBeGreaterThan(before);
    const probe: LightMyRequestResponse = await s.app.inject({
      method: 'POST', url: '/v1/logs', headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: `${token} probe` } }] }] }] }),
    });
    expect(probe.statusCode).toBe(503);
    expect(Number(probe.headers['retry-after'])).toBeGreaterThan(0);
    expect(probe.json()).toMatchObject({ code: 14 }); // google.rpc UNAVAILABLE
    expect(await stored(token)).toBe(0);
    await new Promise((r) => setTimeout(r, 1000));
    await proxy.restore();
    await flushed;
    await provider.shutdown();
    const logs = await readByToken(s, token);
    expect(logs).toHaveLength(1000); // the probe was refused, never stored
    expect(new Set(logs.map((l) => l.attributes.i)).size).toBe(1000);
  }, 120_000);

  it.skipIf(missing !== null)('syslog over TCP: 3,000 lines sent while the database is away are held, then stored once after it returns', async () => {
    const rx: SyslogReceiver = await startSyslog({
      ingest: s.ingest, log: s.log,
      config: { SYSLOG_PORT: 0, SYSLOG_HOST: '127.0.0.1', SYSLOG_ALLOW: [], SYSLOG_SERVICE: 'syslog', MAX_MESSAGE_BYTES: 65536 },
    });
    try {
      const token = uniqueToken('so');
      const N = 3000;
      await proxy.cut();
      const lines = Array.from({ length: N }, (_, i) => `${token} held ${i}`).join('\n');
      const sent = run('logger', ['--tcp', '--rfc5424', '-n', '127.0.0.1', '-P', String(rx.port), '-t', 'outage', '-p', 'local3.err'], `${lines}\n`);
      await new Promise((r) => setTimeout(r, 2000));
      expect(await stored(token)).toBe(0);
      await proxy.restore();
      await sent;
      const logs = await waitForCount(() => readByToken(s, token), N, 60_000);
      expect(logs).toHaveLength(N);
      expect(new Set(logs.map((l) => l.message)).size).toBe(N);
      expect(logs.every((l) => l.service === 'outage' && l.level === 'error')).toBe(true);
    } finally {
      await rx.close();
    }
  }, 120_000);
});
