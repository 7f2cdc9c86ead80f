import type { Db } from '../../db/types.js';
import { AppError } from '../../lib/errors.js';
import { generatePassword, hashPassword } from './crypto.js';
import { deleteUserSessions, findLogin, updateUser } from './repo-users.js';

/**
 * Sets a new password for `username` from the command line (a forgotten admin password had no way
 * back): the account is enabled again and every session of it ends. Returns the password set.
 */
export async function resetPassword(db: Db, username: string, password: string = generatePassword()): Promise<string> {
  if (password.length < 12) throw new AppError('bad_request', 'the new password must have at least 12 characters');
  const user = await findLogin(db, username);
  if (!user) throw new AppError('not_found', `no user named ${username}`);
  await updateUser(db, user.id, { passwordHash: await hashPassword(password), disabled: false });
  await deleteUserSessions(db, user.id);
  return password;
}
