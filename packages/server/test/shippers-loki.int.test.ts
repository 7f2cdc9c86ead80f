import type { IncomingMessage, ServerResponse } from 'node:http';
import winston from 'winston';
import LokiTransport from 'winston-loki';
import { pino } from 'pino';
import { pinoLoki } from 'pino-loki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, hasPostgres, startRelayedTestServer, startTestServer, type TestServer } from './helpers.js';
import { exactlyOnce, ingestKey, listen, uniqueToken, waitForLogs } from './shippers-helpers.js';

const N = 1000;
const ENGINE = ENGINES.at(-1)!;
const WINSTON_LEVELS = ['info', 'warn', 'error'] as const;

/** Records the Content-Type of every push the server received (to prove which encoding a client used). */
function recordPushTypes(s: TestServer): string[] {
  const seen: string[] = [];
  s.app.server.on('request', (req: IncomingMessage) => {
    if (req.url?.startsWith('/loki/')) seen.push(String(req.headers['content-type']));
  });
  return seen;
}

function winstonLogger(base: string, key: string, onError: (e: unknown) => void) {
  const transport = new LokiTransport({
    host: base,
    basicAuth: `promtail:${key}`,
    labels: { app: 'orders', env: 'test' },
    interval: 0.5,
    replaceTimestamp: false,
    timeout: 10_000,
    onConnectionError: onError,
  });
  return { transport, logger: winston.createLogger({ level: 'debug', transports: [transport] }) };
}

function checkWinston(logs: Awaited<ReturnType<typeof waitForLogs>>, token: string, t0: number): void {
  for (const [i, log] of exactlyOnce(logs, token, N)) {
    expect(log.service).toBe('orders');
    expect(log.level).toBe(WINSTON_LEVELS[i % 3]);
    expect(log.timestamp).toBe(new Date(t0 + i).toISOString().replace('Z', '000Z'));
    expect(log.attributes).toEqual({ env: 'test' });
    expect(log.message).toBe(`${token} #${i} shipped ${JSON.stringify({ level: WINSTON_LEVELS[i % 3]!, orderId: i })}`);
    expect(log.event_id).toMatch(/^loki:[A-Za-z0-9_-]{43}$/);
  }
}

describe(`Loki push from real clients on ${ENGINE}`, () => {
  let s: TestServer;
  let base: string;
  let key: string;
  let types: string[];
  beforeAll(async () => {
    s = await startTestServer(ENGINE);
    base = await listen(s);
    key = await ingestKey(s);
    types = recordPushTypes(s);
  });
  afterAll(() => s.cleanup());

  it('stores 1,000 winston-loki records sent as snappy protobuf with Basic auth, once each', async () => {
    const errors: unknown[] = [];
    const { transport, logger } = winstonLogger(base, key, (e) => errors.push(e));
    const token = uniqueToken();
    const t0 = Date.now() - 3_600_000;
    types.length = 0;
    for (let i = 0; i < N; i++) {
      logger.log({ level: WINSTON_LEVELS[i % 3]!, message: `${token} #${i} shipped`, timestamp: new Date(t0 + i).toISOString(), orderId: i });
    }
    await transport.close(); // sends what is still batched
    expect(errors).toEqual([]);
    expect(types.length).toBeGreaterThan(0);
    expect(new Set(types)).toEqual(new Set(['application/x-protobuf']));
    checkWinston(await waitForLogs(s, token, N), token, t0);
  });

  it('stores 1,000 pino-loki records sent as JSON, with structured metadata and level labels, once each', async () => {
    const token = uniqueToken();
    const t0 = Date.now() - 2 * 3_600_000;
    let next = t0;
    const stream = pinoLoki({
      host: base,
      basicAuth: { username: 'pino', password: key },
      labels: { service_name: 'payments', region: 'eu' },
      batching: { interval: 0.3, maxBufferSize: 0 },
      replaceTimestamp: false,
    });
    const logger = pino({ level: 'trace', timestamp: () => `,"time":${next}`, base: { hostname: 'pay-1' } }, stream);
    types.length = 0;
    for (let i = 0; i < N; i++) {
      next = t0 + i;
      logger[(['info', 'warn', 'error'] as const)[i % 3]!]({ meta: { orderId: String(i) } }, `${token} #${i} charged`);
    }
    await new Promise<void>((resolve) => {
      stream.on('close', () => resolve());
      stream.end();
    });
    const logs = await waitForLogs(s, token, N);
    expect(new Set(types)).toEqual(new Set(['application/json']));
    for (const [i, log] of exactlyOnce(logs, token, N)) {
      expect(log.service).toBe('payments');
      expect(log.level).toBe(['info', 'warn', 'error'][i % 3]);
      expect(log.timestamp).toBe(new Date(t0 + i).toISOString().replace('Z', '000Z'));
      expect(log.attributes).toEqual({ region: 'eu', hostname: 'pay-1', orderId: String(i) });
      expect(JSON.parse(log.message)).toMatchObject({ msg: `${token} #${i} charged`, time: t0 + i });
    }
  });
});

describe.skipIf(!hasPostgres())('winston-loki while the database is away', () => {
  let relayed: Awaited<ReturnType<typeof startRelayedTestServer>>;
  let base: string;
  beforeAll(async () => {
    relayed = await startRelayedTestServer();
    base = await listen(relayed.s);
  });
  afterAll(() => relayed.cleanup());

  it('is answered 503 + Retry-After during the outage, resends its batch after it, and every record is stored once', async () => {
    const key = await ingestKey(relayed.s);
    const retryAfter: string[] = [];
    relayed.s.app.server.on('request', (_req: IncomingMessage, res: ServerResponse) =>
      res.on('finish', () => res.statusCode === 503 && retryAfter.push(String(res.getHeader('retry-after')))));
    const statuses: number[] = [];
    const { transport, logger } = winstonLogger(base, key, (e) => statuses.push((e as { statusCode?: number }).statusCode ?? 0));
    const token = uniqueToken();
    const t0 = Date.now() - 3_600_000;
    const log = (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        logger.log({ level: WINSTON_LEVELS[i % 3]!, message: `${token} #${i} shipped`, timestamp: new Date(t0 + i).toISOString(), orderId: i });
      }
    };
    log(0, 300); // sent and stored before the outage
    await waitForLogs(relayed.s, token, 300);
    await relayed.proxy.cut();
    log(300, 700);
    const until = Date.now() + 15_000;
    while (!statuses.includes(503) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(statuses).toContain(503);
    expect(Number(retryAfter[0])).toBeGreaterThan(0);
    await relayed.proxy.restore();
    log(700, N);
    await transport.close(); // winston-loki re-queued the refused batch: its final flush sends it with the rest
    checkWinston(await waitForLogs(relayed.s, token, N), token, t0);
    expect(statuses.every((st) => st === 503)).toBe(true);
  });
});
