import type { Db } from '../../db/types.js';
import { AppError } from '../../lib/errors.js';
import { newSessionId, verifyPassword } from './crypto.js';
import { sha256 } from '../../lib/hash.js';
import { deleteSession, findLogin, insertSession, purgeSessions, touchSession, type UserRow } from './repo-users.js';
import { clearFailures, lockedFor, recordFailure } from './repo-keys.js';
import type { Principal } from './types.js';

export interface SessionOptions {
  idleMinutes: number;
  absoluteHours: number;
  maxFailures: number;
  maxFailuresIp: number;
}

/** A login either opens a session or fails; `known` names an existing account (for the audit log only). */
export type LoginResult = { ok: true; sessionId: string; user: UserRow } | { ok: false; known: string | undefined };

export interface Sessions {
  /** Checks a password under the throttle (429 while locked); a new session id on success. */
  login(username: string, password: string, ip: string): Promise<LoginResult>;
  logout(sessionId: string): Promise<void>;
  /** The user behind a session cookie, or null when the session is unknown or expired. */
  authenticate(sessionId: string): Promise<Principal | null>;
}

/** Server-side sessions and password logins, throttled per account and per client address. */
export function createSessions(db: Db, opts: SessionOptions): Sessions {
  let lastPurge = 0;
  return {
    async login(username, password, ip) {
      const accountKey = `u:${username.toLowerCase()}`;
      const ipKey = `ip:${ip}`;
      const wait = await lockedFor(db, [accountKey, ipKey]);
      if (wait > 0) throw new AppError('rate_limited', 'too many failed logins; retry later', undefined, wait);
      const user = await findLogin(db, username);
      const ok = await verifyPassword(user?.password_hash, password);
      if (!ok || !user || user.disabled) {
        await recordFailure(db, accountKey, opts.maxFailures);
        await recordFailure(db, ipKey, opts.maxFailuresIp);
        return { ok: false, known: user?.username };
      }
      await clearFailures(db, accountKey);
      // Always a fresh id: a session id planted before the login (fixation) never becomes valid.
      const s = newSessionId();
      await insertSession(db, { idHash: s.hash, userId: user.id, absoluteHours: opts.absoluteHours });
      if (Date.now() - lastPurge > 3_600_000) {
        lastPurge = Date.now();
        await purgeSessions(db, opts.idleMinutes);
      }
      const { password_hash: _secret, ...row } = user;
      return { ok: true, sessionId: s.id, user: row };
    },
    async logout(sessionId) {
      await deleteSession(db, sha256(sessionId));
    },
    async authenticate(sessionId) {
      const row = await touchSession(db, sha256(sessionId), opts.idleMinutes);
      return row ? { kind: 'user', id: row.user_id, name: row.username, role: row.role } : null;
    },
  };
}
