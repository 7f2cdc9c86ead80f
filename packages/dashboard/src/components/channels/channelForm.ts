// The channel editor's model, without Vue: a form state made from a channel (secrets arrive masked),
// which secrets an edit keeps, which it must ask for again because the destination changed, and the
// POST/PATCH body. The rules mirror the server (modules/notify/secrets.ts, channels/schema.ts).
import type { Channel, ChannelInput, ChannelPatch, ChannelType } from '../../api/channels';

/**
 * One secret setting. `mask` is what the server showed for the stored value (null: none stored);
 * `value` is what the user typed ('' = untouched); `cleared` asks the server to remove it.
 */
export interface SecretField {
  mask: string | null;
  value: string;
  cleared: boolean;
}

/** A custom webhook header; its value is a secret (stored ones arrive masked, `origKey` is their stored name). */
export interface HeaderRow {
  key: string;
  value: string;
  mask: string | null;
  origKey: string | null;
}

export type Security = 'ssl' | 'starttls' | 'none';
export type FormLanguage = 'server' | 'zh-CN' | 'en';

export interface ChannelForm {
  name: string;
  type: ChannelType;
  enabled: boolean;
  language: FormLanguage;
  url: SecretField;
  secret: SecretField;
  atMobiles: string[];
  format: 'markdown' | 'text';
  mentionedMobiles: string[];
  headers: HeaderRow[];
  host: string;
  port: number | null;
  security: Security;
  username: string;
  password: SecretField;
  from: string;
  to: string[];
  tlsInsecure: boolean;
}

/** The usual SMTP port of each security mode. */
export const SMTP_PORTS: Record<Security, number> = { ssl: 465, starttls: 587, none: 25 };

/** Types whose destination is a webhook URL (every type but email). */
export const URL_TYPES: ChannelType[] = ['dingtalk', 'wecom', 'feishu', 'slack', 'webhook'];
/** Types with an optional signing or HMAC secret. */
export const SIGNED_TYPES: ChannelType[] = ['dingtalk', 'feishu', 'webhook'];

/** The secrets other than the destination that a change of destination must not carry over silently. */
export function dependentSecrets(type: ChannelType): ('secret' | 'headers' | 'password')[] {
  if (type === 'email') return ['password'];
  if (type === 'webhook') return ['secret', 'headers'];
  return SIGNED_TYPES.includes(type) ? ['secret'] : [];
}

const secret = (v: unknown): SecretField => ({ mask: typeof v === 'string' ? v : null, value: '', cleared: false });
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const text = (v: unknown, d = ''): string => (typeof v === 'string' ? v : d);

/** A blank form for a new channel of this type. */
export function emptyForm(type: ChannelType = 'dingtalk'): ChannelForm {
  return {
    name: '', type, enabled: true, language: 'server', url: secret(null), secret: secret(null), atMobiles: [], format: 'markdown',
    mentionedMobiles: [], headers: [], host: '', port: SMTP_PORTS.starttls, security: 'starttls', username: '', password: secret(null),
    from: '', to: [], tlsInsecure: false,
  };
}

/** The form for editing a stored channel: its settings, each secret kept (shown by its mask) until replaced. */
export function formFromChannel(c: Channel): ChannelForm {
  const k = c.config;
  const security = (['ssl', 'starttls', 'none'] as const).find((s) => s === k.security) ?? 'starttls';
  const headers = k.headers && typeof k.headers === 'object' ? Object.entries(k.headers as Record<string, unknown>) : [];
  return {
    ...emptyForm(c.type),
    name: c.name, enabled: c.enabled, language: c.language ?? 'server',
    url: secret(k.url), secret: secret(k.secret), password: secret(k.password),
    atMobiles: strings(k.atMobiles), mentionedMobiles: strings(k.mentionedMobiles), format: k.format === 'text' ? 'text' : 'markdown',
    headers: headers.map(([key, v]) => ({ key, value: '', mask: text(v, '••••'), origKey: key })),
    host: text(k.host), port: typeof k.port === 'number' ? k.port : null, security, username: text(k.username),
    from: text(k.from), to: strings(k.to), tlsInsecure: k.tlsInsecure === true,
  };
}

/**
 * True when an edit changes where the channel sends: a new URL, or another SMTP host, port, security
 * or certificate check. The server then wants every other stored secret sent again or cleared, so a
 * signing secret or password is never handed to an address the person who typed it did not choose.
 */
export function destinationChanged(f: ChannelForm, original: Channel | null): boolean {
  if (!original) return false;
  if (f.type !== 'email') return f.url.value.trim() !== '';
  const k = original.config;
  return f.host.trim() !== text(k.host) || f.port !== k.port || f.security !== k.security || f.tlsInsecure !== (k.tlsInsecure === true);
}

/** True when a stored secret is kept as it is (neither replaced nor cleared). */
export const isKept = (s: SecretField): boolean => s.mask !== null && s.value === '' && !s.cleared;

/** A secret of the form must be typed again: the destination changed and the stored one is still only kept. */
export function needsReentry(f: ChannelForm, original: Channel | null, field: 'secret' | 'password'): boolean {
  return destinationChanged(f, original) && dependentSecrets(f.type).includes(field) && isKept(f[field]);
}

/** A header row whose stored value must be typed again (new destination, or the row was renamed). */
export function headerNeedsValue(f: ChannelForm, original: Channel | null, row: HeaderRow): boolean {
  return row.mask !== null && row.value === '' && (destinationChanged(f, original) || row.key !== row.origKey);
}

/** The value to send for a secret: the new text, null to clear, undefined to keep (omitted from the body). */
function secretOut(s: SecretField): string | null | undefined {
  if (s.value !== '') return s.value;
  return s.cleared && s.mask !== null ? null : undefined;
}

function headersOut(f: ChannelForm, original: Channel | null): Record<string, string> | null | undefined {
  if (f.headers.length === 0) return original?.config.headers ? null : undefined;
  // A kept value goes back as its mask, which the server reads as "keep the stored one" (same name only).
  return Object.fromEntries(f.headers.map((h) => [h.key.trim(), h.value !== '' || h.mask === null ? h.value : h.mask]));
}

function typeConfig(f: ChannelForm, original: Channel | null): Record<string, unknown> {
  const editing = original !== null;
  const list = (v: string[]): string[] | undefined => (v.length || editing ? v.map((s) => s.trim()) : undefined);
  switch (f.type) {
    case 'email':
      return {
        host: f.host.trim(), port: f.port, security: f.security, username: f.username.trim() || (editing ? null : undefined),
        password: secretOut(f.password), from: f.from.trim(), to: f.to.map((s) => s.trim()), tlsInsecure: f.tlsInsecure || (editing ? false : undefined),
      };
    case 'dingtalk':
      return { secret: secretOut(f.secret), atMobiles: list(f.atMobiles) };
    case 'wecom':
      return { format: f.format, mentionedMobiles: list(f.mentionedMobiles) };
    case 'feishu':
      return { secret: secretOut(f.secret) };
    case 'webhook':
      return { secret: secretOut(f.secret), headers: headersOut(f, original) };
    default:
      return {};
  }
}

/** The settings object to send: untouched secrets left out (kept), cleared ones null. */
export function buildConfig(f: ChannelForm, original: Channel | null): Record<string, unknown> {
  const out: Record<string, unknown> = typeConfig(f, original);
  if (URL_TYPES.includes(f.type)) out.url = f.url.value !== '' ? f.url.value.trim() : undefined;
  for (const [k, v] of Object.entries(out)) if (v === undefined) delete out[k];
  return out;
}

const language = (f: ChannelForm): 'zh-CN' | 'en' | null => (f.language === 'server' ? null : f.language);

/** POST body of a new channel. */
export function createBody(f: ChannelForm): ChannelInput {
  return { name: f.name.trim(), type: f.type, enabled: f.enabled, language: language(f), config: buildConfig(f, null) };
}

/** PATCH body of an edit (the type cannot change). */
export function patchBody(f: ChannelForm, original: Channel): ChannelPatch {
  return { name: f.name.trim(), enabled: f.enabled, language: language(f), config: buildConfig(f, original) };
}
