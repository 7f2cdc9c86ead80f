import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboundClient, OutboundError } from '../src/modules/notify/index.js';
import { startHttpReceiver, type HttpReceiver } from './receivers/http.js';

describe('outbound safety', () => {
  let local: HttpReceiver;
  beforeAll(async () => {
    local = await startHttpReceiver();
  });
  afterAll(() => local?.close());
  const strict = createOutboundClient({ allow: [], timeoutMs: 2000 });
  const kind = async (p: Promise<unknown>) => p.then(() => 'sent', (e: unknown) => (e instanceof OutboundError ? e.kind : String(e)));

  it('refuses loopback, metadata, IPv6 loopback, decimal, hex and octal forms', async () => {
    const port = local.port;
    for (const url of [
      `http://127.0.0.1:${port}/`, `http://localhost:${port}/`, 'http://169.254.169.254/latest/meta-data/', `http://[::1]:${port}/`,
      `http://2130706433:${port}/`, `http://0x7f000001:${port}/`, `http://017700000001:${port}/`, `http://127.1:${port}/`,
      `http://[::ffff:127.0.0.1]:${port}/`, 'http://10.0.0.1/', 'http://192.168.1.1/', 'http://0.0.0.0/',
    ]) {
      expect(await kind(strict.post(url, '{}', {})), url).toBe('refused_address');
    }
    expect(local.requests).toHaveLength(0);
  });

  it('refuses other schemes and credentials in URLs', async () => {
    expect(await kind(strict.post('file:///etc/passwd', '', {}))).toBe('invalid_url');
    expect(await kind(strict.post('http://u:p@example.com/', '', {}))).toBe('invalid_url');
  });

  it('admits what OUTBOUND_ALLOW lists, port included, and nothing else', async () => {
    const allowed = createOutboundClient({ allow: [`127.0.0.1:${local.port}`], timeoutMs: 2000 });
    expect((await allowed.post(`${local.url}/ok`, '{}', {})).status).toBe(200);
    expect(await kind(allowed.post('http://127.0.0.1:1/', '{}', {}))).toBe('refused_address');
    expect(await kind(allowed.post(`http://[::1]:${local.port}/`, '{}', {}))).toBe('refused_address');
  });

  it('does not follow a redirect to an internal address', async () => {
    const redirector = await startHttpReceiver(() => ({ status: 302, headers: { location: 'http://169.254.169.254/latest/meta-data/' } }));
    try {
      const client = createOutboundClient({ allow: [`127.0.0.1:${redirector.port}`], timeoutMs: 2000 });
      expect(await kind(client.post(`${redirector.url}/`, '{}', {}))).toBe('redirect');
      expect(redirector.requests).toHaveLength(1);
    } finally {
      await redirector.close();
    }
  });

  it('gives up on a target that never answers and reads at most a capped answer', async () => {
    const staller = await startHttpReceiver(() => ({ stall: true }));
    const big = await startHttpReceiver(() => ({ body: 'x'.repeat(1_000_000) }));
    try {
      const client = createOutboundClient({ allow: ['127.0.0.1'], timeoutMs: 300, maxBodyBytes: 1024 });
      expect(await kind(client.post(`${staller.url}/`, '{}', {}))).toBe('timeout');
      const res = await createOutboundClient({ allow: ['127.0.0.1'], timeoutMs: 5000, maxBodyBytes: 1024 }).post(`${big.url}/`, '{}', {});
      expect(res.body.length).toBeLessThanOrEqual(1024);
    } finally {
      await staller.close();
      await big.close();
    }
  });

  it('resolves SMTP hosts through the same guard', async () => {
    await expect(strict.resolve('localhost', 25)).rejects.toMatchObject({ kind: 'refused_address' });
    await expect(strict.resolve('[::1]', 25)).rejects.toMatchObject({ kind: 'refused_address' });
    expect(await createOutboundClient({ allow: ['127.0.0.1:25'], timeoutMs: 1000 }).resolve('127.0.0.1', 25)).toBe('127.0.0.1');
  });
});
