/**
 * Who may call a route. Every route declares one in its options (`config: { access: 'read' }`);
 * the auth module enforces it and refuses to start when a route has none.
 * - public: anyone (health probes, login)
 * - ingest: API keys with the ingest scope (shippers)
 * - read: viewers and above, API keys with the read scope
 * - edit: editors and admins (rules, channels, silences, re-drives)
 * - admin: admins and API keys with the admin scope (users, keys, settings)
 */
export type Access = 'public' | 'ingest' | 'read' | 'edit' | 'admin';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}
