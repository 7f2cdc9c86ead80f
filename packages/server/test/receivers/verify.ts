// Signature checks written the way the providers describe them, with WebCrypto rather than the
// node:crypto calls the product uses, so a shared mistake cannot make both sides agree.
import type { Received } from './http.js';

async function hmac(key: string, msg: string): Promise<Uint8Array> {
  const enc = new TextEncoder();
  const k = await crypto.subtle.importKey('raw', enc.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, enc.encode(msg)));
}

const b64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));
const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');

/** DingTalk: timestamp (ms) within one hour of `nowMs`, sign = base64(HMAC(secret, ts + "\n" + secret)), URL-decoded by the query parser. */
export async function verifyDingTalk(r: Received, secret: string, nowMs: number): Promise<boolean> {
  const ts = r.query.get('timestamp'), sign = r.query.get('sign');
  if (!ts || !sign || Math.abs(nowMs - Number(ts)) > 3_600_000) return false;
  return sign === b64(await hmac(secret, `${ts}\n${secret}`));
}

/** Feishu: body.timestamp (s) within one hour, sign = base64(HMAC(key = ts + "\n" + secret, msg = "")). */
export async function verifyFeishu(r: Received, secret: string, nowMs: number): Promise<boolean> {
  const body = JSON.parse(r.body) as { timestamp?: string; sign?: string };
  if (!body.timestamp || !body.sign || Math.abs(nowMs / 1000 - Number(body.timestamp)) > 3600) return false;
  return body.sign === b64(await hmac(`${body.timestamp}\n${secret}`, ''));
}

/** LogSage webhook: X-LogSage-Signature = sha256=hex(HMAC(secret, X-LogSage-Timestamp + "." + body)). */
export async function verifyWebhook(r: Received, secret: string): Promise<boolean> {
  const ts = r.headers['x-logsage-timestamp'];
  return typeof ts === 'string' && r.headers['x-logsage-signature'] === `sha256=${hex(await hmac(secret, `${ts}.${r.body}`))}`;
}
