// Issue 5, end to end: an error log ingested through the API ends as a signed DingTalk message and
// an email carrying the LLM's summary. Everything is real (HTTP API, PostgreSQL, worker and ai roles,
// alert engine, outbox, delivery worker, SMTP conversation) except the outside world: the LLM
// provider is the stand-in, DingTalk is a local receiver that checks the signature as DingTalk does.
import { analyseLog } from '@logsage/llm-stand-in';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPostgres } from './helpers.js';
import { startPipelineServer, testStore, type PipelineServer } from './pipeline-helpers.js';
import { startHttpReceiver, type HttpReceiver, type Received } from './receivers/http.js';
import { startSmtpReceiver, type SmtpReceiver } from './receivers/smtp.js';
import { verifyDingTalk } from './receivers/verify.js';

const PUBLIC_URL = 'https://logsage.example.com';
const SECRET = 'SECe2e-dingtalk-secret';
const SERVICE = 'checkout';
const RULE = 'Checkout errors';
const LOG = { level: 'error', service: SERVICE, message: 'Connection to postgres db-1:5432 refused' };

/** Channels escape some characters (full-width look-alikes, defanged links): compare on letters, digits and spaces. */
const plain = (s: string): string => s.normalize('NFKC').replace(/[\u200b]/g, '').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

describe.runIf(hasPostgres())('an error log becomes a signed DingTalk message and an email (postgres)', () => {
  let s: PipelineServer;
  let robot: HttpReceiver;
  let smtp: SmtpReceiver;
  /** DingTalk requests whose signature verified, checked on arrival (the timestamp window is relative to then). */
  const verified: Received[] = [];

  beforeAll(async () => {
    robot = await startHttpReceiver(async (r) => {
      if (await verifyDingTalk(r, SECRET, Date.now())) verified.push(r);
      return {};
    });
    smtp = await startSmtpReceiver('alerts', 'mail-pass');
    s = await startPipelineServer(await testStore('postgres'), {
      PUBLIC_URL,
      OUTBOUND_ALLOW: '127.0.0.1',
      ALERT_EVAL_INTERVAL_MS: '100',
      ALERT_GROUP_WAIT_SECONDS: '0',
      NOTIFY_POLL_MS: '100',
      NOTIFY_RETRY_BASE_MS: '100',
    });
  });
  afterAll(async () => {
    await s?.cleanup();
    await robot?.close();
    await smtp?.close();
  });

  const post = async <T>(url: string, payload: Record<string, unknown>): Promise<T> => {
    const res = await s.running.app.inject({ method: 'POST', url, payload });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<T>();
  };
  const get = async <T>(url: string): Promise<T> => {
    const res = await s.running.app.inject({ url });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<T>();
  };

  it('ingest → analysis → rule → outbox → DingTalk (signed) and email, all with the summary', async () => {
    const ding = await post<{ id: string }>('/api/v1/channels', {
      name: 'ops robot', type: 'dingtalk', language: 'en', config: { url: `${robot.url}/robot/send?access_token=tok-e2e`, secret: SECRET },
    });
    const mail = await post<{ id: string }>('/api/v1/channels', {
      name: 'ops mail', type: 'email', language: 'en',
      config: { host: '127.0.0.1', port: smtp.port, security: 'none', username: 'alerts', password: 'mail-pass', from: 'LogSage <logsage@example.com>', to: ['ops@example.com'] },
    });
    const rule = await post<{ id: string }>('/api/v1/rules', {
      name: RULE, conditions: { min_severity: 'high', services: [SERVICE] }, channel_ids: [ding.id, mail.id],
    });

    expect((await s.ingest([{ timestamp: new Date().toISOString(), ...LOG }])).accepted).toBe(1);
    const delivered = await s.until(async () => verified.length > 0 && smtp.mails.length > 0, 25_000);
    expect(delivered, `DingTalk requests ${robot.requests.length} (verified ${verified.length}), mails ${smtp.mails.length}`).toBe(true);

    const expected = analyseLog(LOG, 'en');
    expect(expected.severity).toBe('high');
    const summary = plain(expected.summary);

    // The one alert, firing, carrying the model's summary.
    const { alerts } = await get<{ alerts: { id: string; rule_id: string; state: string; severity: string; summary: string; labels: Record<string, string> }[] }>('/api/v1/alerts?state=firing');
    expect(alerts).toHaveLength(1);
    const alert = alerts[0]!;
    expect(alert).toMatchObject({ rule_id: rule.id, state: 'firing', severity: 'high', summary: expected.summary });
    expect(alert.labels.service).toBe(SERVICE);
    const link = `${PUBLIC_URL}/alerts/${alert.id}`;

    // DingTalk: one signed markdown message with the summary, rule, service and the dashboard link.
    expect(verified).toHaveLength(1);
    expect(robot.requests).toHaveLength(1);
    const body = JSON.parse(verified[0]!.body) as { msgtype: string; markdown: { title: string; text: string } };
    expect(body.msgtype).toBe('markdown');
    expect(body.markdown.title).toContain(RULE);
    expect(plain(body.markdown.text)).toContain(summary);
    expect(body.markdown.text).toContain(RULE);
    expect(body.markdown.text).toContain(SERVICE);
    expect(body.markdown.text).toContain(`(${link})`);

    // Email: subject names the rule and the service; the text carries the summary and the link.
    expect(smtp.mails).toHaveLength(1);
    const m = smtp.mails[0]!;
    expect(m.subject).toContain(RULE);
    expect(m.subject).toContain(SERVICE);
    expect(m.subject).toContain('[FIRING][high]');
    expect(plain(m.text ?? '')).toContain(summary);
    expect(m.text).toContain(link);
    expect(m.html).toContain(`href="${link}"`);
    expect(smtp.logins).toContain('alerts');

    // The outbox shows both sent, for this alert. The receivers answer before the delivery worker
    // records the answer, so the states are waited for, not read at once.
    type Outbox = { notifications: { channelId: string; state: string; alertId: string; ruleName: string; status: string }[] };
    expect(await s.until(async () => (await get<Outbox>('/api/v1/notifications')).notifications.filter((n) => n.state === 'sent').length === 2, 10_000)).toBe(true);
    const { notifications } = await get<{ notifications: { channelId: string; state: string; alertId: string; ruleName: string; status: string }[] }>('/api/v1/notifications');
    expect(notifications).toHaveLength(2);
    expect(notifications.map((n) => n.channelId).sort()).toEqual([ding.id, mail.id].sort());
    for (const n of notifications) expect(n).toMatchObject({ state: 'sent', alertId: alert.id, ruleName: RULE, status: 'firing' });

    // The log's own analysis says the same.
    const { logs } = await get<{ logs: { message: string; analysis_status: string; analysis: { summary: string; severity: string } | null }[] }>(`/api/v1/logs?service=${SERVICE}`);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ message: LOG.message, analysis_status: 'done', analysis: { summary: expected.summary, severity: 'high' } });
  });
});
