import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from './helpers.js';
import { createChannel } from './notify-helpers.js';
import { startHttpReceiver, type HttpReceiver } from './receivers/http.js';
import { startSmtpReceiver, type SmtpReceiver } from './receivers/smtp.js';
import { verifyDingTalk, verifyFeishu, verifyWebhook } from './receivers/verify.js';

// Changing where a channel sends must not carry its other stored secrets to the new place: an editor
// could otherwise PATCH only a webhook's URL to a server of their own and test-send the stored
// Authorization header, signing key or SMTP password to it.

const engine = ENGINES[ENGINES.length - 1]!;
const OLD_SECRET = 'SECstored-signing-secret-1a2b';
const NEW_SECRET = 'SECtyped-again-secret-3c4d';
const HEADER = 'Bearer stored-header-value-5e6f';
const SMTP_PASSWORD = 'stored-smtp-password-7a8b';

interface TestResult { ok: boolean; status: number | null; error: string | null }

describe(`moving a channel's destination (${engine})`, () => {
  let s: TestServer;
  let home: HttpReceiver;
  let elsewhere: HttpReceiver;
  let smtp: SmtpReceiver;
  let otherSmtp: SmtpReceiver;
  beforeAll(async () => {
    home = await startHttpReceiver();
    elsewhere = await startHttpReceiver();
    smtp = await startSmtpReceiver('alerts', SMTP_PASSWORD);
    otherSmtp = await startSmtpReceiver('alerts', SMTP_PASSWORD);
    s = await startTestServer(engine, { OUTBOUND_ALLOW: '127.0.0.1' });
  });
  afterAll(async () => {
    await s?.cleanup();
    for (const r of [home, elsewhere, smtp, otherSmtp]) await r?.close();
  });

  const patch = (id: string, config: Record<string, unknown>) =>
    s.app.inject({ method: 'PATCH', url: `/api/v1/channels/${id}`, payload: { config } });
  const testSend = async (id: string) => (await s.app.inject({ method: 'POST', url: `/api/v1/channels/${id}/test` })).json<TestResult>();
  const errorPaths = (body: string) => (JSON.parse(body) as { error: { details: { errors: { path: string }[] } } }).error.details.errors.map((e) => e.path);
  const secretsSeenBy = (r: HttpReceiver) => r.requests.filter((q) => JSON.stringify(q).includes(OLD_SECRET.slice(3)) || JSON.stringify(q).includes(HEADER));

  const signed = [
    { type: 'webhook', verify: (r: Parameters<typeof verifyWebhook>[0], secret: string) => verifyWebhook(r, secret), stranded: ['/secret', '/headers'] },
    { type: 'dingtalk', verify: (r: Parameters<typeof verifyDingTalk>[0], secret: string) => verifyDingTalk(r, secret, Date.now()), stranded: ['/secret'] },
    { type: 'feishu', verify: (r: Parameters<typeof verifyFeishu>[0], secret: string) => verifyFeishu(r, secret, Date.now()), stranded: ['/secret'] },
  ] as const;

  for (const c of signed) {
    it(`${c.type}: a new URL alone is refused, naming the secrets to enter again; with them typed, the new place gets the new signature`, async () => {
      const config = { url: `${home.url}/${c.type}/token-${c.type}`, secret: OLD_SECRET, ...(c.type === 'webhook' ? { headers: { Authorization: HEADER } } : {}) };
      const ch = await createChannel(s, { type: c.type, config });
      const moved = `${elsewhere.url}/${c.type}/attacker`;

      const refused = await patch(ch.id, { url: moved });
      expect(refused.statusCode).toBe(400);
      expect(errorPaths(refused.body).sort()).toEqual([...c.stranded].sort());
      expect(refused.body).not.toContain(OLD_SECRET);
      // Sent back masked (a form that was read and saved) is still not typed again.
      const masked = await patch(ch.id, { url: moved, secret: ch.config.secret, ...(c.type === 'webhook' ? { headers: ch.config.headers } : {}) });
      expect(masked.statusCode).toBe(400);
      expect(await testSend(ch.id)).toMatchObject({ ok: true, status: 200 });
      expect(elsewhere.requests.filter((r) => r.path.startsWith(`/${c.type}/`))).toEqual([]);
      const atHome = home.requests.filter((r) => r.path === `/${c.type}/token-${c.type}`);
      expect(atHome).toHaveLength(1);
      expect(await c.verify(atHome[0]!, OLD_SECRET)).toBe(true);

      const typed = await patch(ch.id, { url: moved, secret: NEW_SECRET, ...(c.type === 'webhook' ? { headers: { Authorization: 'Bearer typed-again' } } : {}) });
      expect(typed.statusCode, typed.body).toBe(200);
      expect(await testSend(ch.id)).toMatchObject({ ok: true, status: 200 });
      const there = elsewhere.requests.filter((r) => r.path === `/${c.type}/attacker`);
      expect(there).toHaveLength(1);
      expect(await c.verify(there[0]!, NEW_SECRET)).toBe(true);
      expect(await c.verify(there[0]!, OLD_SECRET)).toBe(false);
      expect(secretsSeenBy(elsewhere)).toEqual([]);
    });
  }

  it('webhook: clearing the secrets with null moves it unsigned; the same URL typed again, or other settings, keep them', async () => {
    const url = `${home.url}/keep/token`;
    const ch = await createChannel(s, { type: 'webhook', config: { url, secret: OLD_SECRET, headers: { Authorization: HEADER } } });
    expect((await patch(ch.id, { url })).statusCode).toBe(200); // re-typed, identical: not a move
    expect((await patch(ch.id, { url: ch.config.url })).statusCode).toBe(200); // the mask: not a move
    const before = home.requests.length;
    expect(await testSend(ch.id)).toMatchObject({ ok: true });
    const kept = home.requests.slice(before);
    expect(kept).toHaveLength(1);
    expect(kept[0]!.headers.authorization).toBe(HEADER);
    expect(await verifyWebhook(kept[0]!, OLD_SECRET)).toBe(true);

    const cleared = await patch(ch.id, { url: `${elsewhere.url}/cleared`, secret: null, headers: null });
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(cleared.json<{ config: Record<string, unknown> }>().config).not.toHaveProperty('secret');
    expect(await testSend(ch.id)).toMatchObject({ ok: true });
    const r = elsewhere.requests.filter((q) => q.path === '/cleared');
    expect(r).toHaveLength(1);
    expect(r[0]!.headers.authorization).toBeUndefined();
    expect(r[0]!.headers['x-logsage-signature']).toBeUndefined();
  });

  it('wecom and slack: the URL is the only secret, so a new one is simply taken', async () => {
    for (const type of ['wecom', 'slack']) {
      const ch = await createChannel(s, { type, config: { url: `${home.url}/${type}/key-1` } });
      const moved = await patch(ch.id, { url: `${elsewhere.url}/${type}/key-2` });
      expect(moved.statusCode, moved.body).toBe(200);
      expect(await testSend(ch.id)).toMatchObject({ ok: true });
      expect(elsewhere.requests.filter((r) => r.path === `/${type}/key-2`)).toHaveLength(1);
    }
  });

  it('email: a new host, port or security needs the password again; a new recipient does not', async () => {
    const base = { host: '127.0.0.1', port: smtp.port, security: 'none', username: 'alerts', password: SMTP_PASSWORD, from: 'logsage@example.com', to: ['ops@example.com'] };
    const ch = await createChannel(s, { type: 'email', config: base });
    for (const change of [{ port: otherSmtp.port }, { host: 'localhost' }, { security: 'starttls' }, { tlsInsecure: true }]) {
      const r = await patch(ch.id, change);
      expect(r.statusCode, JSON.stringify(change)).toBe(400);
      expect(errorPaths(r.body)).toEqual(['/password']);
    }
    expect((await patch(ch.id, { to: ['oncall@example.com'], port: smtp.port, tlsInsecure: false })).statusCode).toBe(200);
    expect(await testSend(ch.id)).toMatchObject({ ok: true });
    expect(JSON.stringify(smtp.mails.at(-1)!.to)).toContain('oncall@example.com');

    const moved = await patch(ch.id, { port: otherSmtp.port, password: SMTP_PASSWORD });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(await testSend(ch.id)).toMatchObject({ ok: true });
    expect(otherSmtp.mails).toHaveLength(1);
  });
});
