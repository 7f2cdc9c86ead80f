import type { KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../../config/index.js';
import type { Db } from '../../db/types.js';
import { createOutboundClient } from './outbound.js';
import { createNotifyService, type NotifyService } from './service.js';
import { startDeliveryWorker, type DeliveryWorker } from './worker.js';

type NotifyConfig = Pick<
  Config,
  'PUBLIC_URL' | 'HOST' | 'PORT' | 'ANALYSIS_LANGUAGE' | 'OUTBOUND_ALLOW' | 'NOTIFY_TIMEOUT_MS' | 'NOTIFY_MAX_ATTEMPTS'
  | 'NOTIFY_RETRY_BASE_MS' | 'NOTIFY_LEASE_MS' | 'NOTIFY_POLL_MS'
>;

export interface Notifications {
  service: NotifyService;
  /** Starts the delivery worker (the worker role calls it; other roles only enqueue). */
  start(): void;
  stop(): Promise<void>;
}

/**
 * Builds the notification service every role uses and the delivery worker the worker role starts.
 * `secretsKey` (from `loadSecretsKey`) encrypts channel secrets at rest.
 */
export function setupNotifications(deps: { db: Db; log: Logger; cfg: NotifyConfig; secretsKey: KeyObject }): Notifications {
  const { db, cfg, secretsKey } = deps;
  const log = deps.log.child({ module: 'notify' });
  const outbound = createOutboundClient({ allow: cfg.OUTBOUND_ALLOW, timeoutMs: cfg.NOTIFY_TIMEOUT_MS });
  const publicUrl = cfg.PUBLIC_URL ?? `http://${cfg.HOST}:${cfg.PORT}`;
  const language = cfg.ANALYSIS_LANGUAGE;
  const service = createNotifyService({ db, outbound, publicUrl, language, timeoutMs: cfg.NOTIFY_TIMEOUT_MS, secretsKey });
  let worker: DeliveryWorker | undefined;
  return {
    service,
    start() {
      if (worker) return;
      worker = startDeliveryWorker({
        db, log, outbound, publicUrl, language, secretsKey, maxAttempts: cfg.NOTIFY_MAX_ATTEMPTS, retryBaseMs: cfg.NOTIFY_RETRY_BASE_MS,
        // A lease shorter than a send would let a second worker resend a message still in flight.
        leaseMs: Math.max(cfg.NOTIFY_LEASE_MS, cfg.NOTIFY_TIMEOUT_MS * 2), pollMs: cfg.NOTIFY_POLL_MS, timeoutMs: cfg.NOTIFY_TIMEOUT_MS,
      });
    },
    async stop() {
      await worker?.stop();
    },
  };
}
