import { del, get, patch, post, seg } from './http';

/** The six channel types the server sends to. */
export const CHANNEL_TYPES = ['dingtalk', 'wecom', 'feishu', 'email', 'slack', 'webhook'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];
export type ChannelLanguage = 'zh-CN' | 'en' | null;

/** A channel as the API shows it: every secret (URL tokens included) masked, `••••` plus at most the last 4 characters. */
export interface Channel {
  id: string;
  name: string;
  type: ChannelType;
  enabled: boolean;
  /** null: the server's ANALYSIS_LANGUAGE. */
  language: ChannelLanguage;
  config: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export interface ChannelInput {
  name: string;
  type: ChannelType;
  enabled?: boolean;
  language?: ChannelLanguage;
  config: Record<string, unknown>;
}

/** A change: omitted (or still masked) secrets are kept, `null` clears a setting. */
export type ChannelPatch = Partial<Omit<ChannelInput, 'type'>>;

/** A test send's outcome: the remote status only, never the remote body. */
export interface TestResult {
  ok: boolean;
  status: number | null;
  error: string | null;
}

export type DeliveryState = 'pending' | 'sending' | 'sent' | 'parked';

/** One outbox row: a notification of an alert to a channel. */
export interface Delivery {
  id: string;
  channelId: string;
  idempotencyKey: string;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: string;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  alertId: string;
  ruleName: string;
  severity: string;
  status: 'firing' | 'resolved';
}

export interface DeliveryQuery {
  state?: DeliveryState;
  channel_id?: string;
  /** The id of the last row of the previous page. */
  before?: string;
  limit?: number;
}

/** Every channel, secrets masked. */
export async function listChannels(signal?: AbortSignal): Promise<Channel[]> {
  return (await get<{ channels: Channel[] }>('/api/v1/channels', undefined, signal)).channels;
}

/** Creates a channel (201). */
export const createChannel = (body: ChannelInput): Promise<Channel> => post<Channel>('/api/v1/channels', body);

/** Changes a channel; see ChannelPatch for how secrets are kept or cleared. */
export const updateChannel = (id: string, body: ChannelPatch): Promise<Channel> => patch<Channel>(`/api/v1/channels/${seg(id)}`, body);

/** Deletes a channel and its outbox rows. */
export const deleteChannel = (id: string): Promise<void> => del(`/api/v1/channels/${seg(id)}`);

/** Sends a sample message now (can take up to the server's notify timeout). */
export const testChannel = (id: string): Promise<TestResult> => post<TestResult>(`/api/v1/channels/${seg(id)}/test`);

/** The outbox, newest first; page with `before`. */
export async function listDeliveries(q: DeliveryQuery, signal?: AbortSignal): Promise<Delivery[]> {
  return (await get<{ notifications: Delivery[] }>('/api/v1/notifications', { ...q }, signal)).notifications;
}

/** Sends a parked notification again: due now, with a fresh attempt budget. */
export const retryDelivery = (id: string): Promise<Delivery> => post<Delivery>(`/api/v1/notifications/${seg(id)}/retry`);
