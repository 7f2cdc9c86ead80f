import { createSecretKey, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/index.js';
import { startLogSage } from '../src/main.js';
import { enqueueNotifications, loadSecretsKey, SECRETS_KEY_FILE } from '../src/modules/notify/index.js';
import { seal } from '../src/modules/notify/secret-box.js';
import { ENGINES, startTestServer, type TestServer } from './helpers.js';
import { buildNotification, createChannel, outboxRows, testWorker } from './notify-helpers.js';
import { startHttpReceiver, type HttpReceiver } from './receivers/http.js';
import { startSmtpReceiver, type SmtpReceiver } from './receivers/smtp.js';
import { verifyWebhook } from './receivers/verify.js';

const engine = ENGINES[ENGINES.length - 1]!;
const SMTP_PASSWORD = 'planted-smtp-pässword-7f3a';
const WEBHOOK_SECRET = 'planted-webhook-secret-9c1e';
const HEADER_VALUE = 'planted-header-value-5d2b';
const URL_TOKEN = 'planted-url-token-3e8f';
const DECRYPT_ERROR = 'channel secrets cannot be decrypted: SECRETS_KEY changed?';

/** A logger whose lines the test can read. */
function capturingLog(): { log: pino.Logger; lines: () => Record<string, unknown>[] } {
  const out: string[] = [];
  const stream = new Writable({ write: (chunk: Buffer, _enc, cb) => (out.push(chunk.toString()), cb()) });
  return { log: pino({ level: 'info' }, stream), lines: () => out.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe(`notification channel secrets at rest (${engine})`, () => {
  let s: TestServer;
  let http: HttpReceiver;
  let smtp: SmtpReceiver;
  beforeAll(async () => {
    http = await startHttpReceiver();
    smtp = await startSmtpReceiver('alerts', SMTP_PASSWORD);
    s = await startTestServer(engine, { OUTBOUND_ALLOW: '127.0.0.1' });
  });
  afterAll(async () => {
    await s?.cleanup();
    await http?.close();
    await smtp?.close();
  });

  const create = (body: Record<string, unknown>) => createChannel(s, body);
  const rawConfig = async (id: string) =>
    (await s.db.query<{ config: string }>('SELECT config::text AS config FROM notify_channels WHERE id = $1', [id])).rows[0]!.config;
  const testSend = async (id: string) =>
    (await s.app.inject({ method: 'POST', url: `/api/v1/channels/${id}/test` })).json<{ ok: boolean; status: number | null; error: string | null }>();
  const webhookConfig = () => ({ url: `${http.url}/hook/${URL_TOKEN}`, secret: WEBHOOK_SECRET, headers: { 'X-Auth': HEADER_VALUE } });

  it('stores no planted secret in the row, and a test send and a delivery still authenticate and sign', async () => {
    const mail = await create({ type: 'email', config: {
      host: '127.0.0.1', port: smtp.port, security: 'none', username: 'alerts', password: SMTP_PASSWORD, from: 'logsage@example.com', to: ['ops@example.com'] } });
    const hook = await create({ type: 'webhook', config: webhookConfig() });
    for (const id of [mail.id, hook.id]) {
      const raw = await rawConfig(id);
      expect(raw).not.toMatch(new RegExp([SMTP_PASSWORD, WEBHOOK_SECRET, HEADER_VALUE, URL_TOKEN].join('|')));
      expect(raw).toContain('enc:v1:');
    }
    expect(await rawConfig(mail.id)).toContain('"username": "alerts"'); // only secrets are encrypted
    expect(hook.config).toEqual({ url: `${http.url}/••••3e8f`, secret: '••••9c1e', headers: { 'X-Auth': '••••5d2b' } });

    expect(await testSend(mail.id)).toMatchObject({ ok: true, status: 250 });
    expect(smtp.logins.at(-1)).toBe('alerts');
    expect(await testSend(hook.id)).toEqual({ ok: true, status: 200, error: null });
    expect(await verifyWebhook(http.requests.at(-1)!, WEBHOOK_SECRET)).toBe(true);

    await enqueueNotifications(s.db, [hook.id], buildNotification({ idempotencyKey: 'at-rest-1' }));
    await testWorker(s).runOnce();
    expect((await outboxRows(s.db, hook.id))[0]).toMatchObject({ state: 'sent', last_status: 200 });
    const r = http.requests.at(-1)!;
    expect(r.path).toBe(`/hook/${URL_TOKEN}`);
    expect(r.headers['x-auth']).toBe(HEADER_VALUE);
    expect(await verifyWebhook(r, WEBHOOK_SECRET)).toBe(true);
  });

  it('reads a plain-text row written before encryption, and encrypts it at the next save', async () => {
    const { rows } = await s.db.query<{ id: string }>(
      "INSERT INTO notify_channels (name, type, config) VALUES ('legacy', 'webhook', $1::jsonb) RETURNING id", [JSON.stringify(webhookConfig())]);
    const id = rows[0]!.id;
    const read = await s.app.inject({ url: `/api/v1/channels/${id}` });
    expect(read.json<{ config: { secret: string } }>().config.secret).toBe('••••9c1e');
    expect(await testSend(id)).toEqual({ ok: true, status: 200, error: null });
    expect(await verifyWebhook(http.requests.at(-1)!, WEBHOOK_SECRET)).toBe(true);

    const patched = await s.app.inject({ method: 'PATCH', url: `/api/v1/channels/${id}`, payload: { name: 'legacy, saved' } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(await rawConfig(id)).not.toMatch(new RegExp([WEBHOOK_SECRET, HEADER_VALUE, URL_TOKEN].join('|')));
    expect(patched.json<{ config: unknown }>().config).toEqual(read.json<{ config: unknown }>().config);
    await enqueueNotifications(s.db, [id], buildNotification({ idempotencyKey: 'legacy-1' }));
    await testWorker(s).runOnce();
    expect((await outboxRows(s.db, id))[0]).toMatchObject({ state: 'sent' });
    expect(http.requests.at(-1)!.headers['x-auth']).toBe(HEADER_VALUE);
    expect(await verifyWebhook(http.requests.at(-1)!, WEBHOOK_SECRET)).toBe(true);
  });

  it('another key: the delivery is parked with a clear reason, the test send says so, reading still works', async () => {
    const hook = await create({ type: 'webhook', config: webhookConfig() });
    const before = http.requests.length;
    await enqueueNotifications(s.db, [hook.id], buildNotification({ idempotencyKey: 'wrong-key-1' }));
    await testWorker(s, { secretsKey: createSecretKey(randomBytes(32)) }).runOnce();
    const [row] = await outboxRows(s.db, hook.id);
    expect(row).toMatchObject({ state: 'parked', last_error: DECRYPT_ERROR, last_status: null });
    expect(http.requests.length).toBe(before);

    // The row as another host with another key would have written it.
    const foreign = { ...webhookConfig(), secret: seal(WEBHOOK_SECRET, '••••9c1e', createSecretKey(randomBytes(32))) };
    await s.db.query('UPDATE notify_channels SET config = $2::jsonb WHERE id = $1', [hook.id, JSON.stringify(foreign)]);
    const res = await s.app.inject({ method: 'POST', url: `/api/v1/channels/${hook.id}/test` });
    expect(res.json()).toEqual({ ok: false, status: null, error: DECRYPT_ERROR });
    expect(res.body).not.toContain(foreign.secret.split(':')[4]);
    expect(http.requests.length).toBe(before);
    expect((await s.app.inject({ url: `/api/v1/channels/${hook.id}` })).json<{ config: { secret: string } }>().config.secret).toBe('••••9c1e');
    // Entering the secret again repairs the channel.
    await s.app.inject({ method: 'PATCH', url: `/api/v1/channels/${hook.id}`, payload: { config: { secret: WEBHOOK_SECRET } } });
    expect(await testSend(hook.id)).toEqual({ ok: true, status: 200, error: null });
  });

  it('refuses a value in the stored encrypted form from a caller', async () => {
    const res = await s.app.inject({ method: 'POST', url: '/api/v1/channels', payload: {
      name: 'x', type: 'webhook', config: { url: `${http.url}/hook`, secret: seal('x', '••••', createSecretKey(randomBytes(32))) } } });
    expect(res.statusCode).toBe(400);
  });
});

describe('the secrets key file', () => {
  it('is created at the first start with mode 0600 and reused after a restart', async () => {
    const s = await startTestServer('pglite', { OUTBOUND_ALLOW: '127.0.0.1' });
    const http = await startHttpReceiver();
    const dir = s.cfg.DATA_DIR;
    try {
      const file = join(dir, SECRETS_KEY_FILE);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const content = readFileSync(file, 'utf8');
      expect(parseConfig({ SECRETS_KEY: content }).SECRETS_KEY?.symmetricKeySize).toBe(32);
      const res = await s.app.inject({ method: 'POST', url: '/api/v1/channels', payload: { name: 'h', type: 'webhook', config: { url: `${http.url}/h`, secret: WEBHOOK_SECRET } } });
      const { id } = res.json<{ id: string }>();
      await s.stop();

      const again = await startLogSage(s.cfg, [], pino({ level: 'silent' }), { announce: () => undefined });
      try {
        expect(readFileSync(file, 'utf8')).toBe(content);
        const sent = await again.app.inject({ method: 'POST', url: `/api/v1/channels/${id}/test`, headers: { authorization: `Bearer ${s.keys.admin}` } });
        expect(sent.json()).toEqual({ ok: true, status: 200, error: null });
        expect(await verifyWebhook(http.requests.at(-1)!, WEBHOOK_SECRET)).toBe(true);
      } finally {
        await again.stop();
      }
    } finally {
      await http.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('warns when PostgreSQL is configured and the key comes from the file; SECRETS_KEY writes no file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'logsage-key-'));
    try {
      const cap = capturingLog();
      const pgCfg = { ...parseConfig({ DATA_DIR: dir }), databaseUrl: 'postgres://db.internal/logsage' };
      const first = loadSecretsKey(pgCfg, cap.log);
      const second = loadSecretsKey(pgCfg, cap.log);
      expect([first.source, second.source]).toEqual(['generated', 'file']);
      expect(first.key.equals(second.key)).toBe(true);
      const warnings = cap.lines().filter((l) => l.level === 40);
      expect(warnings).toHaveLength(2);
      expect(String(warnings[0]!.msg)).toContain('set SECRETS_KEY');

      const other = join(dir, 'elsewhere');
      const hex = randomBytes(32).toString('hex');
      const quiet = capturingLog();
      const env = loadSecretsKey({ ...parseConfig({ DATA_DIR: other, SECRETS_KEY: hex }), databaseUrl: 'postgres://db.internal/logsage' }, quiet.log);
      expect(env.source).toBe('env');
      expect(env.key.export().toString('hex')).toBe(hex);
      expect(() => statSync(join(other, SECRETS_KEY_FILE))).toThrow();
      expect(quiet.lines()).toHaveLength(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
