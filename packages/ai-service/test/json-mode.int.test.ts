import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLogs } from './factories.js';
import { API_KEY, MODEL, analyzerFor, useStandIn } from './stand-in.js';

const standIn = useStandIn();

// A provider that refuses response_format (as some OpenAI-compatible servers do) and otherwise
// forwards to the stand-in.
let proxy: Server;
let proxyUrl = '';
const seen: boolean[] = [];

beforeAll(async () => {
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      const withFormat = 'response_format' in (JSON.parse(body) as object);
      seen.push(withFormat);
      if (withFormat) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'response_format is not supported', type: 'invalid_request_error' } }));
        return;
      }
      void fetch(`${standIn.get().baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: req.headers.authorization ?? '' }, body })
        .then(async (r) => {
          res.writeHead(r.status, { 'content-type': 'application/json' });
          res.end(await r.text());
        });
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  await new Promise((resolve) => proxy.close(resolve));
});

describe('response_format', () => {
  it('is sent first and dropped for good after the provider rejects it', async () => {
    const compat = analyzerFor(standIn.get(), { provider: { name: 'compat', baseUrl: proxyUrl, apiKey: API_KEY, model: MODEL } });
    const first = await compat.analyze({ logs: buildLogs(2) });
    expect(first).toMatchObject({ status: 'ok', llmCalls: 2 });
    await expect(compat.analyze({ logs: buildLogs(1) })).resolves.toMatchObject({ status: 'ok', llmCalls: 1 });
    expect(seen).toEqual([true, false, false]);
  });
});
