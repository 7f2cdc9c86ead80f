import type { KeyObject } from 'node:crypto';
import { Value } from 'typebox/value';
import type { Db } from '../../db/types.js';
import { AppError } from '../../lib/errors.js';
import * as channels from './repo-channels.js';
import { CHANNELS, CONFIG_SCHEMAS } from './channels/index.js';
import { getOutbox, listOutbox, redrive, type OutboxView } from './repo-listing.js';
import type { OutboundClient } from './outbound.js';
import { renderMessage, sampleNotification } from './render.js';
import { SecretsError } from './secret-box.js';
import { hasSealedValue, maskConfig, mergeConfig, openConfig, sealConfig, strandedSecrets, validationView } from './secrets.js';
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
  /** Encrypts channel secrets at rest; decrypts them for a test send only. */
  secretsKey: KeyObject;
  now?: () => number;
}

const view = (c: channels.ChannelRow): ChannelView => ({ ...c, config: maskConfig(c.type, c.config) });

/** Refuses a caller's value in the stored encrypted form: it would be kept as is and could never be checked. */
function checkInput(type: ChannelType, config: Record<string, unknown> | undefined): void {
  if (!CHANNEL_TYPES.includes(type)) throw new AppError('bad_request', `unknown channel type "${type}"`);
  if (config && hasSealedValue(type, config)) throw new AppError('bad_request', 'secret settings may not start with "enc:v1:"');
}

/** Checks settings against the type's schema; the error lists paths and rules, never the values (they may be secrets). */
function validate(type: ChannelType, stored: Record<string, unknown>): void {
  const config = validationView(type, stored);
  const schema = CONFIG_SCHEMAS[type];
  if (Value.Check(schema, config)) return;
  const errors = Value.Errors(schema, config).map((e) => ({ path: e.instancePath || '/', message: e.message }));
  throw new AppError('bad_request', `invalid ${type} channel settings`, { errors });
}

/**
 * Refuses an update that moves a channel's destination while keeping its other secrets unseen: an
 * editor could otherwise point a webhook at their own server and test-send the stored Authorization
 * header or signing key (or an SMTP password) to it.
 */
function guardDestination(type: ChannelType, stored: Record<string, unknown>, patch: Record<string, unknown>, key: KeyObject): void {
  let opened: Record<string, unknown>;
  try {
    opened = openConfig(type, stored, key);
  } catch (err) {
    if (!(err instanceof SecretsError)) throw err;
    opened = { ...stored, url: undefined }; // the stored URL cannot be read: any new one counts as a move
  }
  const stranded = strandedSecrets(type, opened, patch);
  if (stranded.length === 0) return;
  const message = 'the destination changed: enter this secret again, or clear it with null';
  throw new AppError('bad_request', `the channel would send its stored ${stranded.join(', ')} to a new destination: enter them again or clear them`, {
    errors: stranded.map((f) => ({ path: `/${f}`, message })),
  });
}

/** A test send: with the delivery worker, the only place where channel secrets are decrypted to be sent. */
async function testSend(deps: NotifyServiceDeps, now: () => number, c: channels.ChannelRow): Promise<TestResult> {
  const lang = c.language ?? deps.language;
  const n = sampleNotification(lang);
  let config: Record<string, unknown>;
  try {
    config = openConfig(c.type, c.config, deps.secretsKey);
  } catch (err) {
    if (err instanceof SecretsError) return { ok: false, status: null, error: err.message };
    throw err;
  }
  const ctx = { outbound: deps.outbound, now, timeoutMs: deps.timeoutMs };
  const out = await CHANNELS[c.type].send(ctx, config, n, renderMessage(n, lang, deps.publicUrl, true));
  return out.ok ? { ok: true, status: out.status ?? null, error: null } : { ok: false, status: out.status ?? null, error: out.error };
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
      checkInput(input.type, input.config);
      validate(input.type, input.config);
      const { name, type } = input;
      const config = sealConfig(type, input.config, deps.secretsKey);
      return view(await channels.insertChannel(db, { name, type, config, enabled: input.enabled ?? true, language: input.language ?? null }));
    },
    async updateChannel(id: string, patch: ChannelPatch): Promise<ChannelView> {
      const old = await stored(id);
      checkInput(old.type, patch.config);
      if (patch.config) guardDestination(old.type, old.config, patch.config, deps.secretsKey);
      const merged = patch.config ? mergeConfig(old.type, old.config, patch.config) : old.config;
      validate(old.type, merged);
      // Every save encrypts what is still plain text, rows written before encryption at rest included.
      const config = sealConfig(old.type, merged, deps.secretsKey);
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
      return testSend(deps, now, await stored(id));
    },
    async listNotifications(f: { state?: DeliveryState; channelId?: string; before?: string; limit: number }): Promise<OutboxView[]> {
      return listOutbox(db, f);
    },
    /** Re-drives a parked notification: due now, with a fresh attempt budget. */
    async retryNotification(id: string): Promise<OutboxView> {
      if (!/^\d{1,18}$/.test(id)) throw new AppError('not_found', `notification ${id} not found`);
      const row = await getOutbox(db, id);
      if (!row) throw new AppError('not_found', `notification ${id} not found`);
      if (!(await redrive(db, id, now()))) throw new AppError('conflict', `notification ${id} is ${row.state}; only parked or waiting ones can be retried`);
      return (await getOutbox(db, id))!;
    },
  };
}

export type NotifyService = ReturnType<typeof createNotifyService>;
