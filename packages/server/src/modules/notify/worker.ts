import type { KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db } from '../../db/types.js';
import { channelsByIds, type ChannelRow } from './repo-channels.js';
import { CHANNELS } from './channels/index.js';
import type { OutboundClient } from './outbound.js';
import { renderMessage } from './render.js';
import { SecretsError } from './secret-box.js';
import { openConfig } from './secrets.js';
import { claimDue, deferRow, markFailed, markSent, takeSlot, type ClaimedRow } from './repo-outbox.js';
import type { Language } from './types.js';

export interface DeliveryDeps {
  db: Db;
  log: Logger;
  outbound: OutboundClient;
  publicUrl: string;
  language: Language;
  maxAttempts: number;
  retryBaseMs: number;
  leaseMs: number;
  pollMs: number;
  timeoutMs: number;
  /** Decrypts channel secrets for the send. */
  secretsKey: KeyObject;
  /** Rows claimed per round. */
  batchSize?: number;
  /** Milliseconds since the epoch; injected by tests that move time. */
  now?: () => number;
}

export interface DeliveryWorker {
  stop(): Promise<void>;
  /** One round: claims due rows and sends them; resolves to the number of send attempts made. */
  runOnce(): Promise<number>;
}

/** Retry delay after `attempts` failures: base × 2^(attempts−1) with ±20 % jitter, at most one hour. */
export function backoffMs(attempts: number, baseMs: number): number {
  const raw = Math.min(3_600_000, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(raw * (0.8 + Math.random() * 0.4));
}

async function deliverOne(deps: DeliveryDeps, now: () => number, row: ClaimedRow, ch: ChannelRow | undefined): Promise<boolean> {
  const { db, log } = deps;
  if (!ch || !ch.enabled) {
    await markFailed(db, row.id, { error: 'the channel is disabled' });
    return false;
  }
  let config: Record<string, unknown>;
  try {
    config = openConfig(ch.type, ch.config, deps.secretsKey);
  } catch (err) {
    if (!(err instanceof SecretsError)) throw err;
    // Another key cannot become right by retrying: park it with the reason until the key is fixed.
    await markFailed(db, row.id, { error: err.message });
    log.error({ outbox: row.id, channel: ch.id, type: ch.type }, err.message);
    return false;
  }
  const channel = CHANNELS[ch.type];
  if (channel.limits.length > 0) {
    const slot = await takeSlot(db, channel.target(config), channel.limits, now());
    if (slot.waitUntil !== undefined) {
      await deferRow(db, row.id, slot.waitUntil);
      return false;
    }
  }
  const message = renderMessage(row.payload, ch.language ?? deps.language, deps.publicUrl);
  const out = await channel.send({ outbound: deps.outbound, now, timeoutMs: deps.timeoutMs, log }, config, row.payload, message);
  const fields = { outbox: row.id, channel: ch.id, type: ch.type, attempt: row.attempts };
  if (out.ok) {
    await markSent(db, row.id, out.status, now());
    log.info({ ...fields, status: out.status }, 'notification sent');
    return true;
  }
  const park = !out.retry || row.attempts >= deps.maxAttempts;
  const retryAtMs = park ? undefined : now() + (out.retryAfterMs ?? backoffMs(row.attempts, deps.retryBaseMs));
  await markFailed(db, row.id, { status: out.status, error: out.error, retryAtMs });
  log.warn({ ...fields, status: out.status, error: out.error, parked: park }, 'notification send failed');
  return true;
}

/** Starts the outbox delivery loop (unless `autoStart` is false, for tests that drive runOnce themselves). */
export function startDeliveryWorker(deps: DeliveryDeps, autoStart = true): DeliveryWorker {
  const now = deps.now ?? Date.now;
  const batch = deps.batchSize ?? 20;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<number> = Promise.resolve(0);

  async function runOnce(): Promise<number> {
    const rows = await claimDue(deps.db, now(), deps.leaseMs, batch);
    if (rows.length === 0) return 0;
    const channels = new Map((await channelsByIds(deps.db, [...new Set(rows.map((r) => r.channelId))])).map((c) => [c.id, c]));
    const byChannel = new Map<string, ClaimedRow[]>();
    for (const r of rows) byChannel.set(r.channelId, [...(byChannel.get(r.channelId) ?? []), r]);
    // Channels proceed side by side; one channel's rows go in order, so its rate limit sees them one by one.
    const counts = await Promise.all([...byChannel.values()].map(async (list) => {
      let n = 0;
      for (const r of list) if (await deliverOne(deps, now, r, channels.get(r.channelId))) n++;
      return n;
    }));
    return counts.reduce((a, b) => a + b, 0);
  }

  const loop = (): void => {
    if (stopped) return;
    current = runOnce().catch((err: unknown) => {
      deps.log.error({ err }, 'notification delivery round failed');
      return 0;
    });
    void current.then((n) => {
      if (!stopped) timer = setTimeout(loop, n >= batch ? 0 : deps.pollMs);
    });
  };
  if (autoStart) loop();

  return {
    runOnce: () => (current = current.then(runOnce, runOnce)),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current.catch(() => undefined);
    },
  };
}
