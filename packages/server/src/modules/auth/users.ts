import type { Db, Queryable } from '../../db/types.js';
import { AppError } from '../../lib/errors.js';
import { hashPassword, verifyPassword } from './crypto.js';
import { sha256 } from '../../lib/hash.js';
import {
  countOtherAdmins, deleteUser, deleteUserSessions, findLogin, findUser, insertUser, listUsers, updateUser, type UserRow,
} from './repo-users.js';
import { lockedFor, recordFailure } from './repo-keys.js';
import type { Principal, UserRole } from './types.js';

export interface UserChanges {
  role?: UserRole;
  password?: string;
  disabled?: boolean;
}

export interface Users {
  list(): Promise<UserRow[]>;
  create(input: { username: string; password: string; role: UserRole }, by: Principal): Promise<UserRow>;
  update(id: string, changes: UserChanges): Promise<UserRow>;
  remove(id: string): Promise<void>;
  /** A user changing their own password: the current one is required; their other sessions end. */
  changeOwnPassword(username: string, current: string, next: string, keepSessionId: string | undefined): Promise<boolean>;
}

const isUniqueViolation = (err: unknown): boolean => (err as { code?: unknown }).code === '23505';

/** User management (admins only, except a user's own password; the routes enforce that). */
export function createUsers(db: Db, maxFailures: number): Users {
  /** Refuses a change that would leave no enabled admin: nobody could manage users any more. */
  async function keepAnAdmin(tx: Queryable, user: UserRow, ch: UserChanges | 'delete'): Promise<void> {
    const losesAdmin = ch === 'delete' || (ch.role !== undefined && ch.role !== 'admin') || ch.disabled === true;
    if (user.role !== 'admin' || user.disabled || !losesAdmin) return;
    if ((await countOtherAdmins(tx, user.id)) === 0) throw new AppError('conflict', 'the last admin cannot be removed, demoted or disabled');
  }

  return {
    list: () => listUsers(db),
    async create(input, by) {
      const passwordHash = await hashPassword(input.password);
      try {
        return await insertUser(db, { username: input.username, passwordHash, role: input.role, createdBy: by.name });
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('conflict', 'a user with this name exists');
        throw err;
      }
    },
    async update(id, ch) {
      const passwordHash = ch.password === undefined ? undefined : await hashPassword(ch.password);
      return db.transaction(async (tx) => {
        await tx.query('LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE'); // two admins demoting each other at once
        const user = await findUser(tx, id);
        if (!user) throw new AppError('not_found', 'no such user');
        await keepAnAdmin(tx, user, ch);
        const row = (await updateUser(tx, id, { role: ch.role, passwordHash, disabled: ch.disabled }))!;
        // A new password or a disabled account ends every session of that user.
        if (passwordHash !== undefined || ch.disabled === true) await deleteUserSessions(tx, id);
        return row;
      });
    },
    async changeOwnPassword(username, current, next, keepSessionId) {
      // The same throttle as login: a stolen session must not become a password-guessing oracle.
      const throttleKey = `u:${username.toLowerCase()}`;
      const wait = await lockedFor(db, [throttleKey]);
      if (wait > 0) throw new AppError('rate_limited', 'too many failed attempts; retry later', undefined, wait);
      const user = await findLogin(db, username);
      if (!user || !(await verifyPassword(user.password_hash, current))) {
        await recordFailure(db, throttleKey, maxFailures);
        return false;
      }
      await updateUser(db, user.id, { passwordHash: await hashPassword(next) });
      await deleteUserSessions(db, user.id, keepSessionId ? sha256(keepSessionId) : '');
      return true;
    },
    async remove(id) {
      await db.transaction(async (tx) => {
        await tx.query('LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE');
        const user = await findUser(tx, id);
        if (!user) throw new AppError('not_found', 'no such user');
        await keepAnAdmin(tx, user, 'delete');
        await deleteUser(tx, id);
      });
    },
  };
}
