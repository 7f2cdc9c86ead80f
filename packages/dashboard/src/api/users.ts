import { del, get, patch, post, seg } from './http';

export const ROLES = ['admin', 'editor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];
/** The server's password rule (auth/schemas.ts `Password`): 12 to 1024 characters. */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 1024;
/** The server's username rule (auth/schemas.ts `CreateUser`). */
export const USERNAME_MAX = 64;
export const USERNAME_PATTERN = /^[A-Za-z0-9._@-]+$/;

export interface User {
  id: string;
  username: string;
  role: Role;
  disabled: boolean;
  created_at: string;
  created_by: string | null;
  last_login_at: string | null;
}

export interface UserChanges {
  role?: Role;
  password?: string;
  disabled?: boolean;
}

/** Every user. */
export async function listUsers(signal?: AbortSignal): Promise<User[]> {
  return (await get<{ users: User[] }>('/api/v1/users', undefined, signal)).users;
}

/** Creates a user with a password and a role. */
export function createUser(body: { username: string; password: string; role: Role }): Promise<User> {
  return post<User>('/api/v1/users', body);
}

/** Changes a user's role, password or disabled flag (the server refuses to lose the last admin: 409). */
export function updateUser(id: string, changes: UserChanges): Promise<User> {
  return patch<User>(`/api/v1/users/${seg(id)}`, changes);
}

/** Deletes a user. */
export function deleteUser(id: string): Promise<void> {
  return del(`/api/v1/users/${seg(id)}`);
}
