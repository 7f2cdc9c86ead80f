import { del, get, post, seg } from './http';

/** The scopes the server accepts (auth/schemas.ts `ScopeT`), in the order the form offers them. */
export const SCOPES = ['ingest', 'read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];
/** The server's limit on a key's name (auth/schemas.ts `CreateKey`). */
export const KEY_NAME_MAX = 100;

export interface ApiKey {
  id: string;
  name: string;
  /** The visible start of the key, to tell keys apart. */
  prefix: string;
  scopes: string[];
  created_at: string;
  created_by: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** A key as created: `key` is the secret itself, answered this once only. */
export interface CreatedKey extends ApiKey {
  key: string;
}

/** Every API key, revoked ones included (never the keys themselves). */
export async function listKeys(signal?: AbortSignal): Promise<ApiKey[]> {
  return (await get<{ keys: ApiKey[] }>('/api/v1/api-keys', undefined, signal)).keys;
}

/** Creates a key; the answer holds the secret, which the server never shows again. */
export function createKey(body: { name: string; scopes: Scope[] }): Promise<CreatedKey> {
  return post<CreatedKey>('/api/v1/api-keys', body);
}

/** Revokes a key (effective within 5 seconds on every server process). */
export function revokeKey(id: string): Promise<void> {
  return del(`/api/v1/api-keys/${seg(id)}`);
}
