import { createHmac } from 'node:crypto';

/** DingTalk robot: sign = urlencode(base64(HMAC-SHA256(key = secret, msg = timestamp_ms + "\n" + secret))), added to the URL. */
export function signDingTalkUrl(url: string, secret: string, nowMs: number): string {
  const sign = createHmac('sha256', secret).update(`${nowMs}\n${secret}`).digest('base64');
  return `${url}${url.includes('?') ? '&' : '?'}timestamp=${nowMs}&sign=${encodeURIComponent(sign)}`;
}

/** Feishu/Lark bot: sign = base64(HMAC-SHA256(key = timestamp_s + "\n" + secret, msg = "")), sent in the body. */
export function signFeishu(secret: string, nowMs: number): { timestamp: string; sign: string } {
  const timestamp = String(Math.floor(nowMs / 1000));
  return { timestamp, sign: createHmac('sha256', `${timestamp}\n${secret}`).update('').digest('base64') };
}

/** Generic webhook: X-LogSage-Signature = "sha256=" + hex(HMAC-SHA256(key = secret, msg = timestamp_s + "." + body)). */
export function signWebhook(secret: string, body: string, nowMs: number): { timestamp: string; signature: string } {
  const timestamp = String(Math.floor(nowMs / 1000));
  return { timestamp, signature: `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}` };
}
