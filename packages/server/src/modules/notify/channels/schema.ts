import { Type, type Static, type TSchema } from 'typebox';
import type { ChannelType } from '../types.js';

const Url = Type.String({ minLength: 10, maxLength: 2048, pattern: '^https?://' });
const Secret = Type.String({ minLength: 1, maxLength: 512 });
const Mobile = Type.String({ pattern: '^\\+?[0-9-]{5,20}$' });

/** SMTP: "ssl" is TLS from the first byte (port 465), "starttls" upgrades a plain connection and requires it. */
export const EmailConfig = Type.Object({
  host: Type.String({ minLength: 1, maxLength: 255 }),
  port: Type.Integer({ minimum: 1, maximum: 65535 }),
  security: Type.Union([Type.Literal('ssl'), Type.Literal('starttls'), Type.Literal('none')]),
  username: Type.Optional(Type.String({ maxLength: 255 })),
  password: Type.Optional(Secret),
  from: Type.String({ minLength: 3, maxLength: 255 }),
  to: Type.Array(Type.String({ minLength: 3, maxLength: 255 }), { minItems: 1, maxItems: 50 }),
  /** Accept a self-signed server certificate (private mail relays). */
  tlsInsecure: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });

export const DingTalkConfig = Type.Object({
  url: Url,
  secret: Type.Optional(Secret),
  atMobiles: Type.Optional(Type.Array(Mobile, { maxItems: 20 })),
}, { additionalProperties: false });

export const WeComConfig = Type.Object({
  url: Url,
  format: Type.Optional(Type.Union([Type.Literal('markdown'), Type.Literal('text')])),
  mentionedMobiles: Type.Optional(Type.Array(Mobile, { maxItems: 20 })),
}, { additionalProperties: false });

export const FeishuConfig = Type.Object({ url: Url, secret: Type.Optional(Secret) }, { additionalProperties: false });

export const SlackConfig = Type.Object({ url: Url }, { additionalProperties: false });

export const WebhookConfig = Type.Object({
  url: Url,
  secret: Type.Optional(Secret),
  headers: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$' }), Type.String({ maxLength: 1024 }))),
}, { additionalProperties: false });

export type EmailConfig = Static<typeof EmailConfig>;
export type DingTalkConfig = Static<typeof DingTalkConfig>;
export type WeComConfig = Static<typeof WeComConfig>;
export type FeishuConfig = Static<typeof FeishuConfig>;
export type SlackConfig = Static<typeof SlackConfig>;
export type WebhookConfig = Static<typeof WebhookConfig>;

/** Each channel type's settings schema. */
export const CONFIG_SCHEMAS: Record<ChannelType, TSchema> = {
  email: EmailConfig, dingtalk: DingTalkConfig, wecom: WeComConfig, feishu: FeishuConfig, slack: SlackConfig, webhook: WebhookConfig,
};

/** Settings holding secrets: masked on read, kept when an update omits them or sends the mask back. */
/**
 * Settings that say where a channel sends. Changing one must not carry the other stored secrets
 * (a signing key, an Authorization header, an SMTP password) to the new place unseen.
 */
export const DESTINATION_FIELDS: Record<ChannelType, string[]> = {
  email: ['host', 'port', 'security', 'tlsInsecure'],
  dingtalk: ['url'],
  wecom: ['url'],
  feishu: ['url'],
  slack: ['url'],
  webhook: ['url'],
};

export const SECRET_FIELDS: Record<ChannelType, string[]> = {
  email: ['password'],
  dingtalk: ['url', 'secret'],
  wecom: ['url'],
  feishu: ['url', 'secret'],
  slack: ['url'],
  webhook: ['url', 'secret', 'headers'],
};
