import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { OTLPLogExporter as JsonExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import type { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { ENGINES, startTestServer, type TestServer } from './helpers.js';
import { ingestKey, micros, readByToken, uniqueToken } from './shippers-otlp-syslog-helpers.js';

const N = 1000;
// One record per severity band, cycled: number → the level it must be stored as.
const SEVERITIES: [SeverityNumber, string, string][] = [
  [SeverityNumber.TRACE2, 'TRACE2', 'trace'], [SeverityNumber.DEBUG, 'DEBUG', 'debug'], [SeverityNumber.INFO4, 'INFO4', 'info'],
  [SeverityNumber.WARN, 'WARN', 'warn'], [SeverityNumber.ERROR3, 'ERROR3', 'error'], [SeverityNumber.FATAL, 'FATAL', 'fatal'],
];

type Exporter = JsonExporter | ProtoExporter;
const CLIENTS: [string, (url: string, key: string) => Exporter][] = [
  ['exporter-logs-otlp-http (JSON)', (url, key) => new JsonExporter({ url, headers: { Authorization: `Bearer ${key}` } })],
  ['exporter-logs-otlp-proto (protobuf, gzip)', (url, key) =>
    new ProtoExporter({ url, headers: { Authorization: `Bearer ${key}` }, compression: 'gzip' as CompressionAlgorithm })],
];

describe.each(CLIENTS)('OTLP/HTTP logs from the OpenTelemetry JS SDK, %s', (_name, makeExporter) => {
  let s: TestServer;
  let base: string;
  beforeAll(async () => {
    s = await startTestServer(ENGINES.at(-1)!);
    base = await s.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => s.cleanup());

  it('stores 1,000 records exactly once with service, level, microsecond time, resource, scope, trace ids and attributes', async () => {
    const token = uniqueToken('otel');
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'checkout', 'service.namespace': 'shop', 'host.name': 'web-7', 'k8s.pod.name': 'checkout-5f7c' }),
      processors: [new BatchLogRecordProcessor({ exporter: makeExporter(`${base}/v1/logs`, await ingestKey(s)), maxExportBatchSize: 256, maxQueueSize: 4096 })],
    });
    const logger = provider.getLogger('shop.payments', '2.4.1');
    const t0 = (Date.now() - 60_000) * 1000 + 123; // epoch µs, with a sub-millisecond part to keep
    for (let i = 0; i < N; i++) {
      const [severityNumber, severityText] = SEVERITIES[i % SEVERITIES.length]!;
      const us = t0 + i * 1001;
      const spanCtx = trace.setSpanContext(context.active(), {
        traceId: `${'0af7651916cd43dd8448eb211c80319c'.slice(0, 24)}${i.toString(16).padStart(8, '0')}`,
        spanId: `b7ad6b71${i.toString(16).padStart(8, '0')}`,
        traceFlags: TraceFlags.SAMPLED,
      });
      logger.emit({
        timestamp: [Math.floor(us / 1e6), (us % 1e6) * 1000],
        severityNumber,
        severityText,
        body: `payment ${token} record ${i}`,
        attributes: { seq: i, 'http.route': '/pay', 'user.ok': i % 2 === 0 },
        context: spanCtx,
      });
    }
    await provider.forceFlush();
    await provider.shutdown();

    const logs = await readByToken(s, token);
    expect(logs).toHaveLength(N);
    const bySeq = new Map(logs.map((l) => [l.attributes.seq as number, l]));
    expect(bySeq.size).toBe(N);
    for (let i = 0; i < N; i++) {
      const l = bySeq.get(i)!;
      expect(l.service).toBe('checkout');
      expect(l.level).toBe(SEVERITIES[i % SEVERITIES.length]![2]);
      expect(micros(l.timestamp)).toBe(t0 + i * 1001);
      expect(l.message).toBe(`payment ${token} record ${i}`);
      expect(l.event_id).toBeNull();
      expect(l.attributes).toEqual({
        seq: i,
        'http.route': '/pay',
        'user.ok': i % 2 === 0,
        'service.namespace': 'shop',
        'host.name': 'web-7',
        'k8s.pod.name': 'checkout-5f7c',
        'otel.scope.name': 'shop.payments',
        'otel.scope.version': '2.4.1',
        severity_text: SEVERITIES[i % SEVERITIES.length]![1],
        trace_id: `${'0af7651916cd43dd8448eb211c80319c'.slice(0, 24)}${i.toString(16).padStart(8, '0')}`,
        span_id: `b7ad6b71${i.toString(16).padStart(8, '0')}`,
        trace_flags: '01',
      });
    }
  });
});
