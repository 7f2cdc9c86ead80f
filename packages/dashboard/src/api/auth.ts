import { request } from './http';

export interface Me {
  kind: string;
  id: string;
  name: string;
  role: 'viewer' | 'editor' | 'admin';
}

/** Logs in with a password; the server sets the session cookie. */
export async function login(username: string, password: string): Promise<void> {
  await request('POST', '/api/v1/auth/login', { body: { username, password }, quiet401: true });
}

/** Ends the session. */
export async function logout(): Promise<void> {
  await request('POST', '/api/v1/auth/logout', { body: {}, quiet401: true });
}

/** Who the session belongs to; rejects with status 401 when there is none. */
export function me(): Promise<Me> {
  return request<Me>('GET', '/api/v1/auth/me', { quiet401: true });
}

/** Changes the signed-in user's own password; the server ends their other sessions. */
export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await request('POST', '/api/v1/auth/password', { body: { current_password: currentPassword, new_password: newPassword } });
}
