import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../db/types.js';
import { keyPrefix, newApiKey, sameDigest } from './crypto.js';
import { sha256 } from '../../lib/hash.js';
import { findKeyByPrefix, insertKey, listKeys, markKeyUsed, revokeKey, type KeyRow } from './repo-keys.js';
import type { Principal } from './types.js';

const MAX_CACHED = 10_000;

export interface KeyStore {
  /** The key's principal, or null when the key is unknown or revoked. Throws when the store cannot be read. */
  authenticate(key: string): Promise<Principal | null>;
  create(input: { name: string; scopes: string[] }, by: Principal): Promise<KeyRow & { key: string }>;
  list(): Promise<KeyRow[]>;
  revoke(id: string): Promise<KeyRow | undefined>;
}

/**
 * API keys. Lookups are cached for `cacheSeconds` (at most 5), so a revocation made by another
 * process takes effect within that time; revoking through this process drops the cache at once.
 */
export function createKeyStore(deps: { db: Db; log: FastifyBaseLogger; cacheSeconds: number }): KeyStore {
  const { db, log } = deps;
  const cache = new Map<string, { principal: Principal | null; until: number }>();

  async function lookup(key: string, digest: string): Promise<Principal | null> {
    const prefix = keyPrefix(key);
    if (!prefix) return null;
    const row = await findKeyByPrefix(db, prefix);
    if (!row || !sameDigest(row.key_hash, digest)) return null;
    markKeyUsed(db, row.id).catch((err: unknown) => log.warn({ err }, 'could not record API key use'));
    return { kind: 'key', id: row.id, name: `${row.name} (${row.prefix})`, scopes: row.scopes };
  }

  return {
    async authenticate(key) {
      // The cache is keyed by digest: the process never holds plaintext keys beyond the request.
      const digest = sha256(key);
      const now = Date.now();
      const hit = cache.get(digest);
      if (hit && hit.until > now) return hit.principal;
      const principal = await lookup(key, digest);
      if (deps.cacheSeconds > 0) {
        if (cache.size >= MAX_CACHED) cache.clear();
        cache.set(digest, { principal, until: now + deps.cacheSeconds * 1000 });
      }
      return principal;
    },
    async create(input, by) {
      const k = newApiKey();
      const row = await insertKey(db, { name: input.name, prefix: k.prefix, hash: k.hash, scopes: input.scopes, createdBy: by.name });
      return { ...row, key: k.key };
    },
    list: () => listKeys(db),
    async revoke(id) {
      const row = await revokeKey(db, id);
      cache.clear();
      return row;
    },
  };
}
