import { Value } from 'typebox/value';
import type { Db } from '../../db/types.js';
import { AppError } from '../../http/errors.js';
import * as channels from './channel-repository.js';
import { CHANNELS, CONFIG_SCHEMAS } from './channels/index.js';
import { getOutbox, listOutbox, redrive, type OutboxView } from './listing-repository.js';
import type { OutboundClient } from './outbound.js';
import { renderMessage, sampleNotification } from './render.js';
import { maskConfig, mergeConfig } from './secrets.js';
import { CHANNEL_TYPES, type ChannelType, type DeliveryState, type Language } from './types.js';

/** A channel as the API shows it: secrets masked. */
export interface ChannelView extends Omit<channels.ChannelRow, 'config'> {
  config: Record<string, unknown>;
}

export interface ChannelInput {
  name: string;
  type: ChannelType;
  enabled?: boolean;
  language?: Language | null;
  config: Record<string, unknown>;
}

export type ChannelPatch = Partial<Omit<ChannelInput, 'type'>>;

/** The result of a test send: success or failure and the status code, never the remote body. */
export interface TestResult {
  ok: boolean;
  status: number | null;
  error: string | null;
}

export interface NotifyServiceDeps {
  db: Db;
  outbound: OutboundClient;
  publicUrl: string;
  language: Language;
  timeoutMs: number;
  now?: () => number;
}

const view = (c: channels.ChannelRow): ChannelView => ({ ...c, config: maskConfig(c.type, c.config) });

/** Checks settings against the type's schema; the error lists paths and rules, never the values (they may be secrets). */
function validate(type: ChannelType, config: Record<string, unknown>): void {
  if (!CHANNEL_TYPES.includes(type)) throw new AppError('bad_request', `unknown channel type "${type}"`);
  const schema = CONFIG_SCHEMAS[type];
  if (Value.Check(schema, config)) return;
  const errors = Value.Errors(schema, config).map((e) => ({ path: e.instancePath || '/', message: e.message }));
  throw new AppError('bad_request', `invalid ${type} channel settings`, { errors });
}

/** Channel management, test sends, and the outbox as seen by users. */
export function createNotifyService(deps: NotifyServiceDeps) {
  const { db } = deps;
  const now = deps.now ?? Date.now;

  async function stored(id: string): Promise<channels.ChannelRow> {
    const [c] = await channels.channelsByIds(db, [id]);
    if (!c) throw new AppError('not_found', `channel ${id} not found`);
    return c;
  }

  return {
    async listChannels(): Promise<ChannelView[]> {
      return (await channels.listChannels(db)).map(view);
    },
    async getChannel(id: string): Promise<ChannelView> {
      return view(await stored(id));
    },
    async createChannel(input: ChannelInput): Promise<ChannelView> {
      validate(input.type, input.config);
      const { name, type, config } = input;
      return view(await channels.insertChannel(db, { name, type, config, enabled: input.enabled ?? true, language: input.language ?? null }));
    },
    async updateChannel(id: string, patch: ChannelPatch): Promise<ChannelView> {
      const old = await stored(id);
      const config = patch.config ? mergeConfig(old.type, old.config, patch.config) : old.config;
      validate(old.type, config);
      const next = { name: patch.name ?? old.name, type: old.type, enabled: patch.enabled ?? old.enabled, config,
        language: patch.language === undefined ? old.language : patch.language };
      const row = await channels.updateChannel(db, id, next);
      if (!row) throw new AppError('not_found', `channel ${id} not found`);
      return view(row);
    },
    async deleteChannel(id: string): Promise<void> {
      if (!(await channels.deleteChannel(db, id))) throw new AppError('not_found', `channel ${id} not found`);
    },
    /** Sends a sample message now, outside the outbox and its retries; reports only ok, status and our own error text. */
    async testChannel(id: string): Promise<TestResult> {
      const c = await stored(id);
      const lang = c.language ?? deps.language;
      const n = sampleNotification(lang);
      const ctx = { outbound: deps.outbound, now, timeoutMs: deps.timeoutMs };
      const out = await CHANNELS[c.type].send(ctx, c.config, n, renderMessage(n, lang, deps.publicUrl, true));
      return out.ok ? { ok: true, status: out.status ?? null, error: null } : { ok: false, status: out.status ?? null, error: out.error };
    },
    async listNotifications(f: { state?: DeliveryState; channelId?: string; before?: string; limit: number }): Promise<OutboxView[]> {
      return listOutbox(db, f);
    },
    /** Re-drives a parked notification: due now, with a fresh attempt budget. */
    async retryNotification(id: string): Promise<OutboxView> {
      if (!/^\d{1,18}$/.test(id)) throw new AppError('not_found', `notification ${id} not found`);
      const row = await getOutbox(db, id);
      if (!row) throw new AppError('not_found', `notification ${id} not found`);
      if (!(await redrive(db, id))) throw new AppError('conflict', `notification ${id} is ${row.state}; only parked or waiting ones can be retried`);
      return (await getOutbox(db, id))!;
    },
  };
}

export type NotifyService = ReturnType<typeof createNotifyService>;
