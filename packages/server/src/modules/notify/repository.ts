import type { Queryable } from '../../db/types.js';
import type { AlertNotification } from './types.js';

/**
 * Writes one outbox row per enabled channel; unknown or disabled channels are skipped and a
 * repeated (channel, idempotency key) is a no-op. Returns how many rows were new.
 */
export async function insertOutbox(q: Queryable, channelIds: string[], n: AlertNotification): Promise<number> {
  if (channelIds.length === 0) return 0;
  const res = await q.query(
    `INSERT INTO notify_outbox (channel_id, idempotency_key, payload)
     SELECT c.id, $2, $3::jsonb FROM notify_channels c WHERE c.id = ANY($1::text[]) AND c.enabled
     ON CONFLICT (channel_id, idempotency_key) DO NOTHING`,
    [[...new Set(channelIds)], n.idempotencyKey, JSON.stringify(n)],
  );
  return res.rowCount;
}
