import type { ChannelType } from '../types.js';
import type { Channel } from './channel.js';
import { dingtalk } from './dingtalk.js';
import { email } from './email.js';
import { feishu } from './feishu.js';
import { slack } from './slack.js';
import { webhook } from './webhook.js';
import { wecom } from './wecom.js';

export type { Channel, SendContext, SendOutcome } from './channel.js';
export { CONFIG_SCHEMAS, SECRET_FIELDS } from './schema.js';

/** Every channel type's sender; settings are validated against CONFIG_SCHEMAS before they reach one. */
export const CHANNELS = { email, dingtalk, wecom, feishu, slack, webhook } as unknown as Record<ChannelType, Channel<Record<string, unknown>>>;
