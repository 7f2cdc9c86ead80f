import type { Queryable } from '../../db/types.js';
import { iso } from './repo-users.js';

export interface KeyRow {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  created_at: string;
  created_by: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

const KEY_COLS = 'id::text AS id, name, prefix, scopes, created_at, created_by, last_used_at, revoked_at';

function toKey(r: Record<string, unknown>): KeyRow {
  return {
    id: String(r.id),
    name: String(r.name),
    prefix: String(r.prefix),
    scopes: r.scopes as string[],
    created_at: iso(r.created_at)!,
    created_by: (r.created_by as string | null) ?? null,
    last_used_at: iso(r.last_used_at),
    revoked_at: iso(r.revoked_at),
  };
}

/** Stores a key's prefix and digest (never the key). */
export async function insertKey(
  q: Queryable,
  k: { name: string; prefix: string; hash: string; scopes: string[]; createdBy: string | null },
): Promise<KeyRow> {
  const r = await q.query(
    `INSERT INTO api_keys (name, prefix, key_hash, scopes, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING ${KEY_COLS}`,
    [k.name, k.prefix, k.hash, k.scopes, k.createdBy],
  );
  return toKey(r.rows[0]!);
}

/** Every key, newest first, revoked ones included (they stay listed for the record). */
export async function listKeys(q: Queryable): Promise<KeyRow[]> {
  return (await q.query(`SELECT ${KEY_COLS} FROM api_keys ORDER BY created_at DESC`)).rows.map(toKey);
}

/** The live key with this prefix and its stored digest, for a constant-time comparison by the caller. */
export async function findKeyByPrefix(q: Queryable, prefix: string): Promise<(KeyRow & { key_hash: string }) | undefined> {
  const r = await q.query(`SELECT ${KEY_COLS}, key_hash FROM api_keys WHERE prefix = $1 AND revoked_at IS NULL`, [prefix]);
  const row = r.rows[0];
  return row ? { ...toKey(row), key_hash: String(row.key_hash) } : undefined;
}

/** Marks a key revoked; undefined when no live key has that id. */
export async function revokeKey(q: Queryable, id: string): Promise<KeyRow | undefined> {
  const r = await q.query(`UPDATE api_keys SET revoked_at = now() WHERE id::text = $1 AND revoked_at IS NULL RETURNING ${KEY_COLS}`, [id]);
  return r.rows[0] ? toKey(r.rows[0]) : undefined;
}

/** Records that a key was used (called at most once per cache period per process). */
export async function markKeyUsed(q: Queryable, id: string): Promise<void> {
  await q.query('UPDATE api_keys SET last_used_at = now() WHERE id::text = $1', [id]);
}

/** Seconds until the longest lock among `keys` ends (0 when none is locked). */
export async function lockedFor(q: Queryable, keys: string[]): Promise<number> {
  const r = await q.query<{ s: number | string | null }>(
    'SELECT ceil(extract(epoch FROM max(locked_until) - now())) AS s FROM login_throttle WHERE key = ANY($1::text[]) AND locked_until > now()',
    [keys],
  );
  return Math.max(0, Number(r.rows[0]?.s ?? 0));
}

/**
 * Counts one failed login under `key`; past `free` failures the key is locked for 2^(n - free)
 * seconds, at most 15 minutes. Failures older than an hour are forgotten.
 */
export async function recordFailure(q: Queryable, key: string, free: number): Promise<void> {
  await q.query(
    `INSERT INTO login_throttle AS t (key, failures, last_failure) VALUES ($1, 1, now())
     ON CONFLICT (key) DO UPDATE SET
       failures = CASE WHEN t.last_failure < now() - interval '1 hour' THEN 1 ELSE t.failures + 1 END,
       last_failure = now()`,
    [key],
  );
  await q.query(
    `UPDATE login_throttle SET locked_until = now() + make_interval(secs => least(900, power(2, failures - $2::int)))
      WHERE key = $1 AND failures >= $2::int`,
    [key, free],
  );
}

/** Forgets the failures of `key` (a successful login clears its account's count). */
export async function clearFailures(q: Queryable, key: string): Promise<void> {
  await q.query('DELETE FROM login_throttle WHERE key = $1', [key]);
}
