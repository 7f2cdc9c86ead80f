import { PASSWORD_MAX, PASSWORD_MIN, USERNAME_MAX, USERNAME_PATTERN } from '../../api/users';

/** Why a username breaks the server's rule (auth/schemas.ts `CreateUser`), or '' when it is fine. */
export function usernameProblem(name: string): 'required' | 'rule' | '' {
  if (!name) return 'required';
  return name.length > USERNAME_MAX || !USERNAME_PATTERN.test(name) ? 'rule' : '';
}

/** True when a password meets the server's rule (12 to 1024 characters). */
export const passwordOk = (p: string): boolean => p.length >= PASSWORD_MIN && p.length <= PASSWORD_MAX;
