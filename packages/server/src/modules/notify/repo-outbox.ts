import type { Db, Queryable } from '../../db/types.js';
import type { AlertNotification } from './types.js';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Writes one outbox row per enabled channel, due at `dueMs`; unknown or disabled channels are skipped
 * and a repeated (channel, idempotency key) is a no-op. Returns how many rows were new.
 */
export async function insertOutbox(q: Queryable, channelIds: string[], n: AlertNotification, dueMs: number): Promise<number> {
  if (channelIds.length === 0) return 0;
  // Due by the application's clock, the one claimDue compares with: the database's now() could be a
  // fraction of a millisecond (or, on another host, seconds) ahead, leaving a new row not yet due.
  const res = await q.query(
    `INSERT INTO notify_outbox (channel_id, idempotency_key, payload, next_attempt_at)
     SELECT c.id, $2, $3::jsonb, $4::timestamptz FROM notify_channels c WHERE c.id = ANY($1::text[]) AND c.enabled
     ON CONFLICT (channel_id, idempotency_key) DO NOTHING`,
    [[...new Set(channelIds)], n.idempotencyKey, JSON.stringify(n), iso(dueMs)],
  );
  return res.rowCount;
}

/** An outbox row taken for sending, with its channel. */
export interface ClaimedRow {
  id: string;
  channelId: string;
  payload: AlertNotification;
  attempts: number;
}

/**
 * Leases up to `limit` due rows: pending ones whose time has come and sending ones whose sender's
 * lease ran out (it crashed or hung). SKIP LOCKED lets several workers claim side by side. The
 * attempt is counted here, before the send, so a message that kills its sender still gets parked.
 */
export async function claimDue(q: Queryable, nowMs: number, leaseMs: number, limit: number): Promise<ClaimedRow[]> {
  const res = await q.query<{ id: string; channel_id: string; payload: AlertNotification; attempts: number }>(
    `WITH due AS (
       SELECT id FROM notify_outbox
        WHERE (state = 'pending' AND next_attempt_at <= $1::timestamptz) OR (state = 'sending' AND lease_until <= $1::timestamptz)
        ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
     UPDATE notify_outbox o SET state = 'sending', lease_until = $2::timestamptz, attempts = o.attempts + 1, updated_at = now()
       FROM due WHERE o.id = due.id
     RETURNING o.id::text AS id, o.channel_id, o.payload, o.attempts`,
    [iso(nowMs), iso(nowMs + leaseMs), limit],
  );
  return res.rows
    .map((r) => ({ id: r.id, channelId: r.channel_id, payload: r.payload, attempts: Number(r.attempts) }))
    .sort((a, b) => Number(a.id) - Number(b.id));
}

/** Puts a claimed row back, not counted as an attempt, to be sent at `untilMs` (its rate-limit slot). */
export async function deferRow(q: Queryable, id: string, untilMs: number): Promise<void> {
  await q.query(
    `UPDATE notify_outbox SET state = 'pending', attempts = attempts - 1, next_attempt_at = $2::timestamptz, lease_until = NULL, updated_at = now()
      WHERE id = $1 AND state = 'sending'`,
    [id, iso(untilMs)],
  );
}

/** Records a successful send. */
export async function markSent(q: Queryable, id: string, status: number | undefined, nowMs: number): Promise<void> {
  await q.query(
    `UPDATE notify_outbox SET state = 'sent', sent_at = $3::timestamptz, last_status = $2, last_error = NULL, lease_until = NULL, updated_at = now()
      WHERE id = $1`,
    [id, status ?? null, iso(nowMs)],
  );
}

/** Records a failed send: due again at `retryAtMs`, or parked when that is undefined. */
export async function markFailed(q: Queryable, id: string, f: { status?: number; error: string; retryAtMs?: number }): Promise<void> {
  await q.query(
    `UPDATE notify_outbox SET state = $2, next_attempt_at = COALESCE($5::timestamptz, next_attempt_at), last_status = $3,
            last_error = $4, lease_until = NULL, updated_at = now()
      WHERE id = $1 AND state = 'sending'`,
    [id, f.retryAtMs === undefined ? 'parked' : 'pending', f.status ?? null, f.error, f.retryAtMs === undefined ? null : iso(f.retryAtMs)],
  );
}

/**
 * Takes a send slot for a provider target if every [count, window] limit allows one at `nowMs`;
 * otherwise returns when the earliest slot frees. Sends are counted in the database under an
 * advisory lock per target, so the limits hold across all worker processes.
 */
export async function takeSlot(db: Db, target: string, limits: [number, number][], nowMs: number): Promise<{ waitUntil?: number }> {
  const widest = Math.max(...limits.map(([, w]) => w));
  const most = Math.max(...limits.map(([n]) => n));
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [target]);
    await tx.query('DELETE FROM notify_rate WHERE target = $1 AND at <= $2::timestamptz', [target, iso(nowMs - widest)]);
    const recent = await tx.query<{ ms: number }>(
      `SELECT (extract(epoch FROM at) * 1000)::float8 AS ms FROM notify_rate
        WHERE target = $1 AND at > $2::timestamptz ORDER BY at DESC LIMIT $3`,
      [target, iso(nowMs - widest), most],
    );
    const times = recent.rows.map((r) => Number(r.ms));
    let waitUntil = nowMs;
    for (const [n, window] of limits) {
      const inWindow = times.filter((t) => t > nowMs - window);
      if (inWindow.length >= n) waitUntil = Math.max(waitUntil, inWindow[n - 1]! + window + 1);
    }
    if (waitUntil > nowMs) return { waitUntil };
    await tx.query('INSERT INTO notify_rate (target, at) VALUES ($1, $2::timestamptz)', [target, iso(nowMs)]);
    return {};
  });
}
