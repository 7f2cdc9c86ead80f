import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../db/types.js';
import { AppError, asUnavailable } from '../../lib/errors.js';
import { createKeyStore, type KeyStore } from './keys.js';
import { createSessions, type SessionOptions, type Sessions } from './sessions.js';
import { ANONYMOUS, type Principal } from './types.js';
import { createUsers, type Users } from './users.js';

export const SESSION_COOKIE = 'logsage_session';

/** Credentials found on a request: an API key (three ways to send it) or a session cookie. */
export type Credentials = { kind: 'key'; key: string } | { kind: 'session'; id: string } | { kind: 'none' };

export interface AuthService {
  readonly disabled: boolean;
  keys: KeyStore;
  sessions: Sessions;
  users: Users;
  /** The principal behind `creds`; 401 for unknown credentials, 503 when the store cannot be read. */
  authenticate(creds: Credentials): Promise<Principal>;
}

export interface AuthOptions extends SessionOptions {
  disabled: boolean;
  keyCacheSeconds: number;
}

/** Reads credentials from headers: `Authorization: Bearer`, `X-API-Key`, HTTP Basic (key as password), `ApiKey` (Elasticsearch clients), then the cookie. */
export function readCredentials(headers: Record<string, string | string[] | undefined>, cookie: string | undefined): Credentials {
  const auth = typeof headers.authorization === 'string' ? headers.authorization.trim() : '';
  const bearer = /^Bearer\s+(\S+)$/i.exec(auth);
  if (bearer) return { kind: 'key', key: bearer[1]! };
  const basic = /^Basic\s+(\S+)$/i.exec(auth);
  if (basic) {
    // Shippers such as Filebeat only speak Basic: the user name is ignored, the password is the key.
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    return { kind: 'key', key: decoded.slice(decoded.indexOf(':') + 1) };
  }
  const apiKey = /^ApiKey\s+(\S+)$/i.exec(auth);
  if (apiKey) return { kind: 'key', key: elasticApiKey(apiKey[1]!) };
  if (auth) return { kind: 'key', key: '' }; // an unknown scheme is a failed credential, not anonymity
  const x = headers['x-api-key'];
  if (typeof x === 'string' && x.trim()) return { kind: 'key', key: x.trim() };
  if (cookie) return { kind: 'session', id: cookie };
  return { kind: 'none' };
}

/**
 * Elasticsearch clients send `ApiKey base64(id:key)` (or the encoded form handed out by Kibana);
 * a LogSage key sent as is works too. The `key` part after the first colon is the LogSage key.
 */
function elasticApiKey(token: string): string {
  if (token.startsWith('lsk_')) return token;
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  return decoded.includes(':') ? decoded.slice(decoded.indexOf(':') + 1) : token;
}

const STORE_DOWN = 'the user and key store is unavailable; retry later';

/** Creates the auth service: users, sessions and keys over the one database. */
export function createAuthService(deps: { db: Db; log: FastifyBaseLogger; options: AuthOptions }): AuthService {
  const { db, log, options } = deps;
  const keys = createKeyStore({ db, log, cacheSeconds: options.keyCacheSeconds });
  const sessions = createSessions(db, options);
  return {
    disabled: options.disabled,
    keys,
    sessions,
    users: createUsers(db, options.maxFailures),
    async authenticate(creds) {
      if (creds.kind === 'none') return ANONYMOUS;
      let p: Principal | null;
      try {
        p = creds.kind === 'key' ? await keys.authenticate(creds.key) : await sessions.authenticate(creds.id);
      } catch (err) {
        // Never 401 here: a shipper drops data on 4xx, and the credentials may well be good.
        const e = asUnavailable(err);
        if (!(e instanceof AppError)) log.error({ err }, 'credential lookup failed');
        throw e instanceof AppError ? e : new AppError('unavailable', STORE_DOWN, undefined, 5);
      }
      if (!p) throw new AppError('unauthorized', creds.kind === 'key' ? 'invalid API key' : 'the session has ended; log in again');
      return p;
    },
  };
}
