import type { Access } from '../../lib/access.js';

export type UserRole = 'admin' | 'editor' | 'viewer';
export type Scope = 'ingest' | 'read' | 'admin';
export const USER_ROLES: readonly UserRole[] = ['admin', 'editor', 'viewer'];
export const SCOPES: readonly Scope[] = ['ingest', 'read', 'admin'];

/** Who is calling: a logged-in user, an API key, or nobody. Set on every request by the auth hook. */
export type Principal = {
  kind: 'user' | 'key' | 'anonymous';
  id: string;
  name: string;
  role?: UserRole;
  scopes?: string[];
};

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller (anonymous on public routes without credentials). */
    principal: Principal;
  }
}

export const ANONYMOUS: Principal = Object.freeze({ kind: 'anonymous', id: '', name: 'anonymous' });

// Users: viewer reads; editor also edits; admin does everything, ingest included (curl from a
// logged-in admin is a legitimate test). Ingestion is otherwise for keys: a dashboard session
// that can write logs would be a forgery channel with no use.
const ROLE_GRANTS: Record<UserRole, readonly Access[]> = {
  viewer: ['public', 'read'],
  editor: ['public', 'read', 'edit'],
  admin: ['public', 'ingest', 'read', 'edit', 'admin'],
};
// Keys: each scope grants exactly its own access level, and admin grants everything.
const SCOPE_GRANTS: Record<Scope, readonly Access[]> = {
  ingest: ['public', 'ingest'],
  read: ['public', 'read'],
  admin: ['public', 'ingest', 'read', 'edit', 'admin'],
};

/** True when `p` may call a route declaring `access`. */
export function allows(p: Principal, access: Access): boolean {
  if (access === 'public') return true;
  if (p.kind === 'user') return p.role !== undefined && ROLE_GRANTS[p.role].includes(access);
  if (p.kind === 'key') return (p.scopes ?? []).some((s) => SCOPE_GRANTS[s as Scope]?.includes(access) ?? false);
  return false;
}
