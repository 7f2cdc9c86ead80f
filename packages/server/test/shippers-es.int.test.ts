import type { IncomingMessage, ServerResponse } from 'node:http';
import { Client } from '@elastic/elasticsearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, hasPostgres, startRelayedTestServer, startTestServer, type TestServer } from './helpers.js';
import { exactlyOnce, ingestKey, isoMicros, listen, logsByToken, uniqueToken, waitForLogs } from './shippers-helpers.js';

const N = 1000;
const LEVELS = ['info', 'WARN', 'error', 'debug'] as const;
const EXPECTED_LEVEL = ['info', 'warn', 'error', 'debug'];
// One engine is enough for the client runs (the ingest path is the same); PostgreSQL when present.
const ENGINE = ENGINES.at(-1)!;

/** An ECS document as an application would index it through the official client. */
function ecsDoc(token: string, base: number, i: number): Record<string, unknown> {
  return {
    '@timestamp': isoMicros(base, i, (i * 7) % 1000),
    message: `${token} #${i} order placed`,
    log: { level: LEVELS[i % 4] },
    service: { name: 'checkout' },
    host: { name: 'web-1' },
    http: { response: { status_code: 200 + (i % 3) } },
    tags: ['shop', 'eu'],
  };
}

function checkStored(logs: Awaited<ReturnType<typeof logsByToken>>, token: string, base: number, ids?: (i: number) => string): void {
  const byRecord = exactlyOnce(logs, token, N);
  for (const [i, log] of byRecord) {
    expect(log.service).toBe('checkout');
    expect(log.level).toBe(EXPECTED_LEVEL[i % 4]);
    expect(log.timestamp).toBe(isoMicros(base, i, (i * 7) % 1000));
    expect(log.attributes).toEqual({ 'host.name': 'web-1', 'http.response.status_code': 200 + (i % 3), tags: ['shop', 'eu'] });
    if (ids) expect(log.event_id).toBe(ids(i));
  }
}

describe(`@elastic/elasticsearch client against /es on ${ENGINE}`, () => {
  let s: TestServer;
  let base: string;
  let key: string;
  beforeAll(async () => {
    s = await startTestServer(ENGINE);
    base = await listen(s);
    key = await ingestKey(s);
  });
  afterAll(() => s.cleanup());

  it('passes the client product check, and helpers.bulk with Basic auth stores 1,000 documents once; a resend is 409 per item', async () => {
    const client = new Client({ node: `${base}/es`, auth: { username: 'app', password: key } });
    const info = await client.info();
    expect(info.version.number).toMatch(/^8\.\d+\.\d+$/);
    const token = uniqueToken();
    const t0 = Date.now() - 3_600_000;
    const docs = Array.from({ length: N }, (_, i) => ecsDoc(token, t0, i));
    const idOf = (i: number) => `${token}-${i}`;
    const index = new Map(docs.map((d, i) => [d, i]));
    const bulk = () =>
      client.helpers.bulk({
        datasource: docs,
        flushBytes: 40_000, // several requests, sent concurrently
        onDocument: (d) => ({ create: { _index: 'logs-checkout', _id: idOf(index.get(d)!) } }),
        onDrop: (d) => dropped.push(d.status),
      });
    let dropped: number[] = [];
    const first = await bulk();
    expect(first).toMatchObject({ total: N, successful: N, failed: 0 });
    expect(dropped).toEqual([]);
    checkStored(await logsByToken(s, token), token, t0, idOf);

    dropped = [];
    const again = await bulk();
    expect(again).toMatchObject({ total: N, successful: 0, failed: N });
    expect(dropped).toEqual(Array(N).fill(409));
    expect((await logsByToken(s, token)).length).toBe(N);
    await client.close();
  });

  it('stores 1,000 documents without _id sent with ApiKey auth (base64 id:key), and accepts the bare key as ApiKey', async () => {
    const client = new Client({ node: `${base}/es`, auth: { apiKey: { id: 'filebeat', api_key: key } } });
    const token = uniqueToken();
    const t0 = Date.now() - 2 * 3_600_000;
    const result = await client.helpers.bulk({
      datasource: Array.from({ length: N }, (_, i) => ecsDoc(token, t0, i)),
      flushBytes: 60_000,
      onDocument: () => ({ index: { _index: 'logs-checkout' } }),
    });
    expect(result).toMatchObject({ successful: N, failed: 0 });
    checkStored(await logsByToken(s, token), token, t0);
    const bare = new Client({ node: `${base}/es`, auth: { apiKey: key } });
    const one = await bare.index({ index: 'logs-app', id: `${token}-one`, document: { message: `${token}-one single`, service: { name: 'single' } } });
    expect(one.result).toBe('created');
    const wrong = new Client({ node: `${base}/es`, auth: { apiKey: Buffer.from('x:lsk_00000000_nope').toString('base64') } });
    await expect(wrong.info()).rejects.toMatchObject({ meta: { statusCode: 401 } });
    await Promise.all([client.close(), bare.close(), wrong.close()]);
  });
});

describe.skipIf(!hasPostgres())('@elastic/elasticsearch client while the database is away', () => {
  let relayed: Awaited<ReturnType<typeof startRelayedTestServer>>;
  let base: string;
  beforeAll(async () => {
    relayed = await startRelayedTestServer();
    base = await listen(relayed.s);
  });
  afterAll(() => relayed.cleanup());

  it('gets per-item 429 while the database is cut, retries them after the outage, and stores every document once', async () => {
    const key = await ingestKey(relayed.s);
    const client = new Client({ node: `${base}/es`, auth: { username: 'app', password: key } });
    const token = uniqueToken();
    const t0 = Date.now() - 3_600_000;
    // A first write: the key is cached (API_KEY_CACHE_SECONDS) so the outage below hits the write, not the key lookup.
    await client.index({ index: 'warm', document: { message: `warm-up ${uniqueToken()}` } });
    const retryAfter: unknown[] = [];
    relayed.s.app.server.on('request', (_req: IncomingMessage, res: ServerResponse) => res.on('finish', () => retryAfter.push(res.getHeader('retry-after'))));
    await relayed.proxy.cut();
    const rejected: number[] = [];
    const restore = new Promise((r) => setTimeout(r, 1500)).then(() => relayed.proxy.restore());
    const result = await client.helpers.bulk({
      datasource: Array.from({ length: N }, (_, i) => ecsDoc(token, t0, i)),
      flushBytes: 100_000,
      wait: 800,
      retries: 10,
      onDocument: (d) => ({ create: { _index: 'logs-checkout', _id: `${token}-${String(d.message).split('#')[1]!.split(' ')[0]}` } }),
      onDrop: (d) => rejected.push(d.status),
    });
    await restore;
    expect(rejected).toEqual([]);
    expect(result.retry).toBeGreaterThan(0); // the outage was seen and retried, not waited out by chance
    expect(retryAfter).toContain('5'); // the 200 carrying per-item 429s also says when to come back
    expect(result).toMatchObject({ successful: N, failed: 0 });
    checkStored(await waitForLogs(relayed.s, token, N), token, t0, (i) => `${token}-${i}`);
    await client.close();
  });
});
