import { sha256 } from '../../../lib/hash.js';
import nodemailer from 'nodemailer';
import { defang, escapeHtml, truncateBytes } from '../escape.js';
import { OutboundError } from '../outbound.js';
import type { Message } from '../render.js';
import { failed, type Channel, type SendContext, type SendOutcome } from './channel.js';
import { plainText } from './markdown.js';
import type { EmailConfig } from './schema.js';

const SECTION_BYTES = 16_000;
const COLOURS = { critical: '#c0392b', high: '#e67e22', medium: '#d4ac0d', low: '#2e86c1', info: '#7f8c8d' } as const;

/** The HTML body: every untrusted value escaped, long sections cut. */
export function emailHtml(m: Message): string {
  const colour = m.status === 'resolved' ? '#27ae60' : COLOURS[m.severity];
  const rows = m.facts.map(([k, v]) => `<tr><th align="left" style="padding:2px 12px 2px 0">${k}</th><td>${escapeHtml(v)}</td></tr>`);
  const sections = m.sections.map(
    ([k, v]) => `<h3 style="margin:16px 0 4px">${k}</h3><div style="white-space:pre-wrap">${escapeHtml(truncateBytes(v, SECTION_BYTES))}</div>`,
  );
  return [
    '<!doctype html><html><body style="font-family:sans-serif">',
    `<h2 style="color:${colour}">${m.headline} ${escapeHtml(m.ruleName)}</h2>`,
    `<table>${rows.join('')}</table>`,
    ...sections,
    ...m.notes.map((n) => `<p style="color:#888">${n}</p>`),
    `<p><a href="${m.link}">${m.linkLabel}</a></p>`,
    '</body></html>',
  ].join('\n');
}

/** Subject line: no line breaks (header injection), inert links. */
export function emailSubject(m: Message): string {
  const service = m.facts.find(([k]) => k === '服务' || k === 'Service')?.[1];
  return `[LogSage] ${m.headline} ${defang(m.ruleName)}${service ? ` · ${defang(service)}` : ''}`.replace(/[\r\n]+/g, ' ').slice(0, 200);
}

/** SMTP replies 4xx are temporary (retry), 5xx permanent; authentication failures are permanent. */
function smtpOutcome(err: unknown): SendOutcome {
  if (err instanceof OutboundError) return failed(err);
  const e = err as { code?: string; responseCode?: number };
  const status = e.responseCode;
  if (e.code === 'EAUTH') return { ok: false, retry: false, status, error: 'SMTP authentication failed' };
  if (status !== undefined && status >= 500) return { ok: false, retry: false, status, error: `SMTP ${status}` };
  if (status !== undefined) return { ok: false, retry: true, status, error: `SMTP ${status}` };
  return { ok: false, retry: true, error: `SMTP connection failed${e.code ? ` (${e.code})` : ''}` };
}

async function sendMail(ctx: SendContext, c: EmailConfig, m: Message): Promise<SendOutcome> {
  // Connect to the address the outbound guard admitted; the name is kept for TLS verification.
  const address = await ctx.outbound.resolve(c.host, c.port);
  const transport = nodemailer.createTransport({
    host: address, port: c.port, secure: c.security === 'ssl', requireTLS: c.security === 'starttls',
    ignoreTLS: c.security === 'none',
    ...(c.username ? { auth: { user: c.username, pass: c.password ?? '' } } : {}),
    tls: { servername: c.host, rejectUnauthorized: !c.tlsInsecure },
    connectionTimeout: ctx.timeoutMs, greetingTimeout: ctx.timeoutMs, socketTimeout: ctx.timeoutMs,
  });
  try {
    const info = await transport.sendMail({
      from: c.from, to: c.to, subject: emailSubject(m), text: plainText(m, SECTION_BYTES, defang), html: emailHtml(m),
      // The same notification always gets the same Message-ID, so a resend after a crash is one thread entry.
      messageId: `<${sha256(m.idempotencyKey).slice(0, 32)}@logsage>`,
      headers: { 'X-LogSage-Idempotency-Key': m.idempotencyKey },
    });
    const code = Number(/^(\d{3})/.exec(String(info.response))?.[1] ?? 250);
    return { ok: true, status: code };
  } finally {
    transport.close();
  }
}

/** Email over SMTP (nodemailer): SSL or STARTTLS, optional auth, HTML and plain text. */
export const email: Channel<EmailConfig> = {
  limits: [],
  target: (c) => `email:${c.host}:${c.port}`,
  async send(ctx, c, _n, m) {
    try {
      return await sendMail(ctx, c, m);
    } catch (err) {
      return smtpOutcome(err);
    }
  },
};
