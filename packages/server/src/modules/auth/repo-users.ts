import type { Queryable } from '../../db/types.js';
import type { UserRole } from './types.js';

export interface UserRow {
  id: string;
  username: string;
  role: UserRole;
  disabled: boolean;
  created_at: string;
  created_by: string | null;
  last_login_at: string | null;
}

const USER_COLS = 'id, username, role, disabled, created_at, created_by, last_login_at';

/** Timestamps come back as Date from both engines; the API speaks ISO strings. */
export function iso(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function toUser(r: Record<string, unknown>): UserRow {
  return {
    id: String(r.id),
    username: String(r.username),
    role: r.role as UserRole,
    disabled: Boolean(r.disabled),
    created_at: iso(r.created_at)!,
    created_by: (r.created_by as string | null) ?? null,
    last_login_at: iso(r.last_login_at),
  };
}

/** Counts users (the first start creates the admin only when this is 0). */
export async function countUsers(q: Queryable): Promise<number> {
  return Number((await q.query<{ n: string }>('SELECT count(*) AS n FROM users')).rows[0]!.n);
}

/** Inserts a user; throws the unique violation (23505) when the name is taken. */
export async function insertUser(
  q: Queryable,
  u: { username: string; passwordHash: string; role: UserRole; createdBy: string | null },
): Promise<UserRow> {
  const r = await q.query(
    `INSERT INTO users (username, password_hash, role, created_by) VALUES ($1, $2, $3, $4) RETURNING ${USER_COLS}`,
    [u.username, u.passwordHash, u.role, u.createdBy],
  );
  return toUser(r.rows[0]!);
}

/** Lists every user, oldest first. */
export async function listUsers(q: Queryable): Promise<UserRow[]> {
  return (await q.query(`SELECT ${USER_COLS} FROM users ORDER BY created_at, username`)).rows.map(toUser);
}

/** One user by id, or undefined. */
export async function findUser(q: Queryable, id: string): Promise<UserRow | undefined> {
  const r = await q.query(`SELECT ${USER_COLS} FROM users WHERE id::text = $1`, [id]);
  return r.rows[0] ? toUser(r.rows[0]) : undefined;
}

/** The login record of a username (case-insensitive), with its password hash. */
export async function findLogin(q: Queryable, username: string): Promise<(UserRow & { password_hash: string }) | undefined> {
  const r = await q.query(`SELECT ${USER_COLS}, password_hash FROM users WHERE lower(username) = lower($1)`, [username]);
  const row = r.rows[0];
  return row ? { ...toUser(row), password_hash: String(row.password_hash) } : undefined;
}

/** Applies the given changes to a user; returns the new row or undefined when it does not exist. */
export async function updateUser(
  q: Queryable,
  id: string,
  ch: { role?: UserRole; passwordHash?: string; disabled?: boolean },
): Promise<UserRow | undefined> {
  const r = await q.query(
    `UPDATE users SET role = COALESCE($2, role), password_hash = COALESCE($3, password_hash),
            disabled = COALESCE($4, disabled), updated_at = now()
      WHERE id::text = $1 RETURNING ${USER_COLS}`,
    [id, ch.role ?? null, ch.passwordHash ?? null, ch.disabled ?? null],
  );
  return r.rows[0] ? toUser(r.rows[0]) : undefined;
}

/** Deletes a user (their sessions go with them); true when one was deleted. */
export async function deleteUser(q: Queryable, id: string): Promise<boolean> {
  return (await q.query('DELETE FROM users WHERE id::text = $1', [id])).rowCount > 0;
}

/** Active admins other than `exceptId`: the last one may not be removed, demoted or disabled. */
export async function countOtherAdmins(q: Queryable, exceptId: string): Promise<number> {
  const r = await q.query<{ n: string }>(
    "SELECT count(*) AS n FROM users WHERE role = 'admin' AND NOT disabled AND id::text <> $1",
    [exceptId],
  );
  return Number(r.rows[0]!.n);
}

/** Stores a new session for a user and stamps the login time. */
export async function insertSession(q: Queryable, s: { idHash: string; userId: string; absoluteHours: number }): Promise<void> {
  await q.query(
    `INSERT INTO sessions (id_hash, user_id, expires_at) VALUES ($1, $2, now() + make_interval(hours => $3::int))`,
    [s.idHash, s.userId, s.absoluteHours],
  );
  await q.query('UPDATE users SET last_login_at = now() WHERE id = $1', [s.userId]);
}

/**
 * Finds a live session (within both timeouts, user enabled) and refreshes its idle clock. The
 * refresh is written at most once a minute so that dashboard polling does not write on every request.
 */
export async function touchSession(
  q: Queryable,
  idHash: string,
  idleMinutes: number,
): Promise<{ user_id: string; username: string; role: UserRole } | undefined> {
  const r = await q.query<{ user_id: string; username: string; role: UserRole; stale: boolean }>(
    `SELECT s.user_id::text AS user_id, u.username, u.role, s.last_seen_at < now() - interval '1 minute' AS stale
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.id_hash = $1 AND NOT u.disabled AND s.expires_at > now()
        AND s.last_seen_at > now() - make_interval(mins => $2::int)`,
    [idHash, idleMinutes],
  );
  const row = r.rows[0];
  if (!row) return undefined;
  if (row.stale) await q.query('UPDATE sessions SET last_seen_at = now() WHERE id_hash = $1', [idHash]);
  return { user_id: row.user_id, username: row.username, role: row.role };
}

/** Deletes one session (logout). */
export async function deleteSession(q: Queryable, idHash: string): Promise<void> {
  await q.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
}

/** Deletes a user's sessions, except the one given (password change keeps the current one). */
export async function deleteUserSessions(q: Queryable, userId: string, keepHash = ''): Promise<void> {
  await q.query('DELETE FROM sessions WHERE user_id::text = $1 AND id_hash <> $2', [userId, keepHash]);
}

/** Removes sessions past their absolute timeout or idle for longer than the idle timeout. */
export async function purgeSessions(q: Queryable, idleMinutes: number): Promise<void> {
  await q.query('DELETE FROM sessions WHERE expires_at <= now() OR last_seen_at <= now() - make_interval(mins => $1::int)', [idleMinutes]);
}
