import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from './helpers.js';
import { buildNotification, createChannel, outboxRows, testWorker } from './notify-helpers.js';
import { startHttpReceiver, type HttpReceiver } from './receivers/http.js';
import { startSmtpReceiver, type SmtpReceiver } from './receivers/smtp.js';
import { verifyDingTalk, verifyFeishu, verifyWebhook } from './receivers/verify.js';
import { enqueueNotifications } from '../src/modules/notify/index.js';

const HOSTILE = '@all <!channel> <@U0001> [登录](https://evil.example.com/login) <at id=all></at> <font color="red">x</font> **y**';
const engine = ENGINES[ENGINES.length - 1]!;

describe(`notification channels (${engine})`, () => {
  let s: TestServer;
  let http: HttpReceiver;
  let smtp: SmtpReceiver;
  beforeAll(async () => {
    http = await startHttpReceiver();
    smtp = await startSmtpReceiver('alerts', 'p@ss wörd');
    s = await startTestServer(engine, { OUTBOUND_ALLOW: '127.0.0.1', PUBLIC_URL: 'https://logsage.example.com' });
  });
  afterAll(async () => {
    await s?.cleanup();
    await http?.close();
    await smtp?.close();
  });

  const create = (body: Record<string, unknown>) => createChannel(s, body);
  const testSend = async (id: string) => (await s.app.inject({ method: 'POST', url: `/api/v1/channels/${id}/test` })).json<{ ok: boolean; status: number | null; error: string | null }>();
  /** Sends one hostile notification through the outbox and returns the receiver's last request. */
  const deliver = async (id: string, over = {}) => {
    await enqueueNotifications(s.db, [id], buildNotification({ idempotencyKey: `k-${Math.random()}`, summary: HOSTILE, rootCause: HOSTILE, ...over }));
    await testWorker(s).runOnce();
    const [row] = (await outboxRows(s.db, id)).slice(-1);
    expect(row!.state).toBe('sent');
    return http.requests.at(-1)!;
  };

  it('masks secrets on read, keeps them when a PATCH omits them, and never echoes them in errors', async () => {
    const url = `${http.url}/robot/send?access_token=tok0123456789abc`;
    const c = await create({ type: 'dingtalk', config: { url, secret: 'SECsecret-0123456789' } });
    const read = (await s.app.inject({ url: `/api/v1/channels/${c.id}` })).body + (await s.app.inject({ url: '/api/v1/channels' })).body;
    expect(read).not.toMatch(/tok0123456789abc|SECsecret-0123456789/);
    expect(c.config.secret).toBe('••••6789');
    const patched = await s.app.inject({ method: 'PATCH', url: `/api/v1/channels/${c.id}`, payload: { name: 'ops', config: { url: c.config.url } } });
    expect(patched.statusCode).toBe(200);
    expect(await testSend(c.id)).toEqual({ ok: true, status: 200, error: null });
    expect(await verifyDingTalk(http.requests.at(-1)!, 'SECsecret-0123456789', Date.now())).toBe(true);
    const bad = await s.app.inject({ method: 'POST', url: '/api/v1/channels', payload: { name: 'x', type: 'slack', config: { url: 'ftp://hunter2-secret' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).not.toContain('hunter2');
    expect(bad.json().error.details.errors[0].path).toBe('/url');
    expect((await s.app.inject({ method: 'DELETE', url: `/api/v1/channels/${c.id}` })).statusCode).toBe(204);
    expect((await s.app.inject({ url: `/api/v1/channels/${c.id}` })).statusCode).toBe(404);
  });

  it('DingTalk: signed as the provider checks, markdown with @mobiles, model text inert', async () => {
    const c = await create({ type: 'dingtalk', config: { url: `${http.url}/robot/send?access_token=t1`, secret: 'SECdingtalk', atMobiles: ['13800000000'] } });
    const r = await deliver(c.id);
    expect(await verifyDingTalk(r, 'SECdingtalk', Date.now())).toBe(true);
    expect(await verifyDingTalk(r, 'SECwrong', Date.now())).toBe(false);
    const body = JSON.parse(r.body);
    expect(body.msgtype).toBe('markdown');
    expect(body.at).toEqual({ atMobiles: ['13800000000'], isAtAll: false });
    expect(body.markdown.text).toContain('@13800000000');
    expect(body.markdown.text).toContain('[查看告警](https://logsage.example.com/alerts/a1)');
    expect(body.markdown.text).not.toMatch(/@all|<at|<font|\[登录\]|https:\/\/evil|\*\*y\*\*/);
    expect(Buffer.byteLength(r.body)).toBeLessThanOrEqual(20_000);
  });

  it('Feishu: signed body, interactive card, 20 KB limit respected', async () => {
    const c = await create({ type: 'feishu', language: 'en', config: { url: `${http.url}/open-apis/bot/v2/hook/abc`, secret: 'feishu-secret' } });
    const r = await deliver(c.id, { summary: `${HOSTILE} ${'长'.repeat(20_000)}` });
    expect(await verifyFeishu(r, 'feishu-secret', Date.now())).toBe(true);
    const body = JSON.parse(r.body);
    expect(body.msg_type).toBe('interactive');
    expect(body.card.header.title.content).toContain('[FIRING][high]');
    expect(r.body).not.toMatch(/<at id|@all|https:\/\/evil/);
    expect(r.body).toContain('…');
    expect(Buffer.byteLength(r.body)).toBeLessThanOrEqual(20_000);
    expect(r.body).toContain('"url":"https://logsage.example.com/alerts/a1"');
  });

  it('WeCom: markdown within 4096 bytes, text within 2048 bytes', async () => {
    const md = await create({ type: 'wecom', config: { url: `${http.url}/cgi-bin/webhook/send?key=k1` } });
    const r = await deliver(md.id, { suggestion: '步'.repeat(5000) });
    const body = JSON.parse(r.body);
    expect(body.msgtype).toBe('markdown');
    expect(Buffer.byteLength(body.markdown.content)).toBeLessThanOrEqual(4096);
    expect(body.markdown.content).toContain('(https://logsage.example.com/alerts/a1)');
    expect(body.markdown.content).not.toMatch(/<@U0001>|<font|@all/);
    const txt = await create({ type: 'wecom', config: { url: `${http.url}/cgi-bin/webhook/send?key=k2`, format: 'text', mentionedMobiles: ['13900000000'] } });
    const t = JSON.parse((await deliver(txt.id, { suggestion: '步'.repeat(5000) })).body);
    expect(Buffer.byteLength(t.text.content)).toBeLessThanOrEqual(2048);
    expect(t.text.mentioned_mobile_list).toEqual(['13900000000']);
  });

  it('Slack: escaped fallback text, model text only in plain_text blocks', async () => {
    const c = await create({ type: 'slack', language: 'en', config: { url: `${http.url}/services/T0/B0/xyz` } });
    const body = JSON.parse((await deliver(c.id)).body);
    expect(body.text).not.toMatch(/<!channel>|<@U/);
    const texts = (body.blocks as { text?: { type: string; text: string } }[]).filter((b) => b.text).map((b) => b.text!);
    for (const t of texts) expect(t.type).toBe('plain_text');
    expect(JSON.stringify(body.blocks)).not.toMatch(/https:\/\/evil|@all/);
    expect(body.blocks.at(-1).elements[0].url).toBe('https://logsage.example.com/alerts/a1');
  });

  it('generic webhook: documented JSON, HMAC signature, custom headers', async () => {
    const c = await create({ type: 'webhook', config: { url: `${http.url}/hook`, secret: 'wh-secret', headers: { 'X-Team': 'sre', Host: 'evil' } } });
    const r = await deliver(c.id, { sampleMessage: 'ERROR db timeout' });
    expect(await verifyWebhook(r, 'wh-secret')).toBe(true);
    expect(r.headers['x-team']).toBe('sre');
    expect(r.headers.host).toBe(`127.0.0.1:${http.port}`);
    expect(r.headers['x-logsage-event']).toBe('alert');
    const body = JSON.parse(r.body);
    expect(Object.keys(body).sort()).toEqual(['alertId', 'count', 'demo', 'event', 'firstSeen', 'idempotencyKey', 'labels', 'language', 'lastSeen',
      'rootCause', 'rule', 'sampleMessage', 'severity', 'status', 'suggestion', 'summary', 'url', 'version'].sort());
    expect(body).toMatchObject({ version: 1, status: 'firing', severity: 'high', summary: HOSTILE, url: 'https://logsage.example.com/alerts/a1' });
    expect(r.headers['x-logsage-idempotency-key']).toBe(body.idempotencyKey);
  });

  it('email: a real SMTP conversation with auth; UTF-8 subject, HTML escaped, plain text', async () => {
    const c = await create({ type: 'email', config: {
      host: '127.0.0.1', port: smtp.port, security: 'none', username: 'alerts', password: 'p@ss wörd', from: 'LogSage <logsage@example.com>', to: ['ops@example.com'] } });
    expect(await testSend(c.id)).toMatchObject({ ok: true, status: 250 });
    await deliver(c.id, { summary: '<script>alert(1)</script> 数据库超时' }).catch(() => undefined);
    const mail = smtp.mails.at(-1)!;
    expect(mail.subject).toBe('[LogSage] [告警][高] DB errors · user-service');
    expect(mail.text).toContain('数据库超时');
    expect(mail.html).toContain('&#60;script&#62;');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('href="https://logsage.example.com/alerts/a1"');
    expect(mail.headers.get('x-logsage-idempotency-key')).toBeDefined();
    const wrong = await create({ type: 'email', config: { host: '127.0.0.1', port: smtp.port, security: 'none', username: 'alerts', password: 'nope', from: 'a@b.c', to: ['o@b.c'] } });
    expect(await testSend(wrong.id)).toMatchObject({ ok: false, error: 'SMTP authentication failed' });
  });

  it('a test send reports the status code and never the remote body', async () => {
    const c = await create({ type: 'webhook', config: { url: `${http.url}/fails` } });
    http.handler = () => ({ status: 500, body: 'INTERNAL-SECRET-PAGE' });
    const res = await s.app.inject({ method: 'POST', url: `/api/v1/channels/${c.id}/test` });
    http.handler = () => ({});
    expect(res.json()).toEqual({ ok: false, status: 500, error: 'HTTP 500' });
    expect(res.body).not.toContain('INTERNAL-SECRET-PAGE');
  });
});
