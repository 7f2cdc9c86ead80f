import type { Db } from '../../db/types.js';
import type { Logger } from 'pino';
import { dropExpiredPartitions, ensurePartitions } from './repo-partitions.js';

export { acceptWindow, dropExpiredPartitions, ensurePartitions } from './repo-partitions.js';

const HOUR_MS = 3_600_000;

/**
 * Runs partition maintenance now and then hourly: create partitions ahead, drop expired ones, then
 * `alsoExpire` (rows of other modules that refer to logs past retention).
 */
export function startPartitionMaintenance(deps: { db: Db; log: Logger; retentionDays: number; alsoExpire?: () => Promise<unknown> }): {
  runOnce: () => Promise<void>;
  stop: () => void;
} {
  const runOnce = async (): Promise<void> => {
    const now = Date.now();
    const created = await ensurePartitions(deps.db, now, deps.retentionDays);
    const dropped = await dropExpiredPartitions(deps.db, now, deps.retentionDays);
    await deps.alsoExpire?.();
    if (created.length > 0 || dropped.length > 0) deps.log.info({ created, dropped }, 'log partitions maintained');
  };
  const timer = setInterval(() => {
    runOnce().catch((err: unknown) => deps.log.warn({ err }, 'partition maintenance failed; retrying next hour'));
  }, HOUR_MS);
  timer.unref();
  return { runOnce, stop: () => clearInterval(timer) };
}
