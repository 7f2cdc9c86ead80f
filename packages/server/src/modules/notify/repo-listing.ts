import type { Queryable } from '../../db/types.js';
import type { AlertNotification, DeliveryState } from './types.js';

/** One outbox row as the API shows it (no message text: it is untrusted and can be long). */
export interface OutboxView {
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
  status: string;
}

interface Row {
  id: string; channel_id: string; idempotency_key: string; state: DeliveryState; attempts: number;
  next_attempt_at: Date | string; last_status: number | null; last_error: string | null;
  created_at: Date | string; sent_at: Date | string | null; payload: AlertNotification;
}

const isoOf = (v: Date | string) => new Date(v).toISOString();

function view(r: Row): OutboxView {
  return {
    id: r.id, channelId: r.channel_id, idempotencyKey: r.idempotency_key, state: r.state, attempts: Number(r.attempts),
    nextAttemptAt: isoOf(r.next_attempt_at), lastStatus: r.last_status, lastError: r.last_error, createdAt: isoOf(r.created_at),
    sentAt: r.sent_at === null ? null : isoOf(r.sent_at),
    alertId: r.payload.alertId, ruleName: r.payload.rule.name, severity: r.payload.severity, status: r.payload.status,
  };
}

const COLUMNS = `id::text AS id, channel_id, idempotency_key, state, attempts, next_attempt_at, last_status, last_error, created_at, sent_at, payload`;

/** Lists outbox rows, newest first, filtered by state and channel; `before` is the last id of the previous page. */
export async function listOutbox(
  q: Queryable,
  f: { state?: DeliveryState; channelId?: string; before?: string; limit: number },
): Promise<OutboxView[]> {
  const res = await q.query<Row>(
    `SELECT ${COLUMNS} FROM notify_outbox
      WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR channel_id = $2) AND ($3::bigint IS NULL OR id < $3)
      ORDER BY id DESC LIMIT $4`,
    [f.state ?? null, f.channelId ?? null, f.before ?? null, f.limit],
  );
  return res.rows.map(view);
}

/** One outbox row, or undefined. */
export async function getOutbox(q: Queryable, id: string): Promise<OutboxView | undefined> {
  const res = await q.query<Row>(`SELECT ${COLUMNS} FROM notify_outbox WHERE id = $1`, [id]);
  return res.rows[0] && view(res.rows[0]);
}

/** Makes a parked (or waiting) row due at `nowMs` (the delivery worker's clock) with a fresh attempt budget; a sent or in-flight row is left alone. */
export async function redrive(q: Queryable, id: string, nowMs: number): Promise<boolean> {
  const res = await q.query(
    `UPDATE notify_outbox SET state = 'pending', attempts = 0, next_attempt_at = $2::timestamptz, lease_until = NULL, updated_at = now()
      WHERE id = $1 AND state IN ('parked', 'pending')`,
    [id, new Date(nowMs).toISOString()],
  );
  return res.rowCount > 0;
}
