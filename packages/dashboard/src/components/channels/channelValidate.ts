// Client-side checks of the channel editor, with the server schema's limits
// (packages/server/src/modules/notify/channels/schema.ts and the name rule of routes.ts), keyed like
// the server's field errors (`name`, `config.url`) so both kinds of message stand at the same input.
import type { Channel } from '../../api/channels';
import type { FieldErrors } from '../../lib/field-errors';
import { URL_TYPES, SIGNED_TYPES, headerNeedsValue, needsReentry, type ChannelForm, type SecretField } from './channelForm';

type T = (key: string, params?: Record<string, unknown>) => string;

const URL_RE = /^https?:\/\//;
const MOBILE_RE = /^\+?[0-9-]{5,20}$/;
const HEADER_RE = /^[A-Za-z0-9-]{1,64}$/;

/** The key a header row's own problems are filed under (the server reports headers as a whole). */
export const headerKey = (i: number, part: 'key' | 'value'): string => `headers#${i}.${part}`;

function checkUrl(f: ChannelForm, original: Channel | null, t: T): string | undefined {
  const v = f.url.value.trim();
  if (v === '') return original && f.url.mask !== null ? undefined : t('channels.v.required');
  if (!URL_RE.test(v)) return t('channels.v.url');
  if (v.length < 10 || v.length > 2048) return t('channels.v.length', { min: 10, max: 2048 });
  return undefined;
}

function checkSecret(s: SecretField, reentry: boolean, t: T): string | undefined {
  if (reentry) return t('channels.v.reenter');
  if (s.value.length > 512) return t('channels.v.length', { min: 1, max: 512 });
  return undefined;
}

function checkMobiles(list: string[], t: T): string | undefined {
  if (list.length > 20) return t('channels.v.maxItems', { n: 20 });
  const bad = list.find((m) => !MOBILE_RE.test(m.trim()));
  return bad === undefined ? undefined : t('channels.v.mobile', { value: bad });
}

function checkEmail(f: ChannelForm, original: Channel | null, t: T, out: FieldErrors): void {
  const len = (v: string, min: number, max: number): string | undefined =>
    v.trim().length < min || v.trim().length > max ? (min > 0 && v.trim() === '' ? t('channels.v.required') : t('channels.v.length', { min, max })) : undefined;
  const set = (k: string, v: string | undefined): void => void (v && (out[`config.${k}`] = v));
  set('host', len(f.host, 1, 255));
  set('port', f.port === null || !Number.isInteger(f.port) || f.port < 1 || f.port > 65535 ? t('channels.v.port') : undefined);
  set('username', f.username.length > 255 ? t('channels.v.length', { min: 0, max: 255 }) : undefined);
  set('password', checkSecret(f.password, needsReentry(f, original, 'password'), t));
  set('from', len(f.from, 3, 255));
  const badTo = f.to.find((a) => a.trim().length < 3 || a.trim().length > 255);
  set('to', f.to.length === 0 ? t('channels.v.required') : f.to.length > 50 ? t('channels.v.maxItems', { n: 50 }) : badTo !== undefined ? t('channels.v.address', { value: badTo }) : undefined);
}

function checkHeaders(f: ChannelForm, original: Channel | null, t: T, out: FieldErrors): void {
  const seen = new Set<string>();
  f.headers.forEach((h, i) => {
    const key = h.key.trim();
    if (!HEADER_RE.test(key)) out[headerKey(i, 'key')] = t('channels.v.headerName');
    else if (seen.has(key.toLowerCase())) out[headerKey(i, 'key')] = t('channels.v.headerDuplicate');
    seen.add(key.toLowerCase());
    if (headerNeedsValue(f, original, h)) out[headerKey(i, 'value')] = t('channels.v.reenterHeader');
    else if (h.value.length > 1024) out[headerKey(i, 'value')] = t('channels.v.length', { min: 0, max: 1024 });
  });
}

/** Every problem of the form, by field; empty when it may be sent. */
export function validateChannel(f: ChannelForm, original: Channel | null, t: T): FieldErrors {
  const out: FieldErrors = {};
  const name = f.name.trim();
  if (name === '') out.name = t('channels.v.required');
  else if (name.length > 200) out.name = t('channels.v.length', { min: 1, max: 200 });
  if (f.type === 'email') checkEmail(f, original, t, out);
  if (URL_TYPES.includes(f.type)) {
    const u = checkUrl(f, original, t);
    if (u) out['config.url'] = u;
  }
  if (SIGNED_TYPES.includes(f.type)) {
    const s = checkSecret(f.secret, needsReentry(f, original, 'secret'), t);
    if (s) out['config.secret'] = s;
  }
  const mobiles = f.type === 'dingtalk' ? checkMobiles(f.atMobiles, t) : f.type === 'wecom' ? checkMobiles(f.mentionedMobiles, t) : undefined;
  if (mobiles) out[f.type === 'dingtalk' ? 'config.atMobiles' : 'config.mentionedMobiles'] = mobiles;
  if (f.type === 'webhook') checkHeaders(f, original, t, out);
  return out;
}
