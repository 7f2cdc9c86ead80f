import type { Queryable } from '../../db/types.js';

export interface AuditEntry {
  actor_kind: string;
  actor_id: string | null;
  actor_name: string;
  action: string;
  method: string | null;
  route: string | null;
  target: string | null;
  status: number | null;
  ip: string | null;
  details: Record<string, unknown>;
}

export interface AuditRow extends AuditEntry {
  id: string;
  at: string;
}

/** Appends one entry to the audit log. */
export async function insertAudit(q: Queryable, e: AuditEntry): Promise<void> {
  await q.query(
    `INSERT INTO audit_log (actor_kind, actor_id, actor_name, action, method, route, target, status, ip, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb)`,
    [e.actor_kind, e.actor_id, e.actor_name, e.action, e.method, e.route, e.target, e.status, e.ip, JSON.stringify(e.details)],
  );
}

/** Newest entries first, optionally before an id (cursor) and for one action. */
export async function listAudit(q: Queryable, f: { limit: number; before?: string; action?: string }): Promise<AuditRow[]> {
  // Ordered by the bigint column, not the text alias `id`, which sorted "10" before "9".
  const r = await q.query<Record<string, unknown>>(
    `SELECT id::text AS id, at, actor_kind, actor_id, actor_name, action, method, route, target, status, ip, details
       FROM audit_log
      WHERE ($1::bigint IS NULL OR id < $1::bigint) AND ($2::text IS NULL OR action = $2)
      ORDER BY audit_log.id DESC LIMIT $3`,
    [f.before ?? null, f.action ?? null, f.limit],
  );
  return r.rows.map((row) => ({ ...(row as unknown as AuditRow), at: row.at instanceof Date ? row.at.toISOString() : (row.at as string) }));
}
