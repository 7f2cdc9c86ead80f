import { signWebhook } from '../signing.js';
import { postJson, targetOf, type Channel } from './channel.js';
import type { WebhookConfig } from './schema.js';

// Headers the transport owns; a custom header may not replace them.
const RESERVED = new Set(['host', 'content-length', 'content-type', 'transfer-encoding', 'connection']);

/**
 * Generic webhook: the notification as JSON (schema in the README, "Notifications"), with an
 * optional HMAC signature and custom headers. Text fields are passed as data, unescaped: they are
 * untrusted and the receiver must treat them so.
 */
export const webhook: Channel<WebhookConfig> = {
  limits: [],
  target: (c) => targetOf('webhook', c.url),
  async send(ctx, c, n, m) {
    const payload = {
      version: 1, event: m.test ? 'test' : 'alert', idempotencyKey: n.idempotencyKey, status: n.status, alertId: n.alertId,
      rule: n.rule, severity: n.severity, labels: n.labels, count: n.count, firstSeen: n.firstSeen, lastSeen: n.lastSeen,
      summary: n.summary, rootCause: n.rootCause, suggestion: n.suggestion, sampleMessage: n.sampleMessage ?? null,
      demo: n.demo, url: m.link, language: m.lang,
    };
    const body = JSON.stringify(payload);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(c.headers ?? {})) if (!RESERVED.has(k.toLowerCase())) headers[k] = v;
    headers['x-logsage-event'] = payload.event;
    headers['x-logsage-idempotency-key'] = n.idempotencyKey;
    if (c.secret) {
      const s = signWebhook(c.secret, body, ctx.now());
      headers['x-logsage-timestamp'] = s.timestamp;
      headers['x-logsage-signature'] = s.signature;
    }
    return postJson(ctx, c.url, body, headers);
  },
};
