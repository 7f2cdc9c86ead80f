import type { Queryable } from '../../db/types.js';
import { insertOutbox } from './repo-outbox.js';
import type { AlertNotification } from './types.js';

export type { AlertNotification, Severity, ChannelType, Language, DeliveryState } from './types.js';
export { createNotifyService, type NotifyService, type ChannelView, type TestResult } from './service.js';
export { startDeliveryWorker, type DeliveryWorker, type DeliveryDeps } from './worker.js';
export { createOutboundClient, OutboundError, type OutboundClient } from './outbound.js';
export { notifyRoutes } from './routes.js';
export { setupNotifications, type Notifications } from './setup.js';
export { loadSecretsKey, SECRETS_KEY_FILE, type SecretsKeySource } from './secrets-key.js';

/**
 * Writes one outbox row per channel inside the caller's transaction, due at `atMs` of the caller's
 * clock (the delivery worker's clock must be the same one); repeats of the same key are no-ops.
 */
export function enqueueNotifications(q: Queryable, channelIds: string[], n: AlertNotification, atMs: number = Date.now()): Promise<number> {
  return insertOutbox(q, channelIds, n, atMs);
}
