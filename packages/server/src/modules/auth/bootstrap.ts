import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../db/types.js';
import { generatePassword, hashPassword, newApiKey } from './crypto.js';
import { countUsers, insertUser } from './repo-users.js';
import { insertKey } from './repo-keys.js';

// Any constant shared by every LogSage process: two processes starting at once against one
// PostgreSQL take turns, and the second sees the first one's admin.
const BOOTSTRAP_LOCK_KEY = 4_711_003;
export const INGEST_KEY_FILE = 'ingest.key';

export interface BootstrapResult {
  /** True only on the very first start: the admin and the ingest key were created now. */
  created: boolean;
  /** The generated admin password (undefined when ADMIN_PASSWORD gave it, or not the first start). */
  generatedPassword?: string;
  ingestKey?: string;
  keyFile?: string;
}

/**
 * First start: creates the `admin` user (password from ADMIN_PASSWORD or generated) and an ingest
 * key, written to `<dataDir>/ingest.key` (mode 0600). Later starts find a user and do nothing, so
 * nothing is ever printed twice.
 */
export async function bootstrapAuth(db: Db, opts: { adminPassword?: string; dataDir: string }): Promise<BootstrapResult> {
  const password = opts.adminPassword ?? generatePassword();
  const passwordHash = await hashPassword(password); // outside the lock: argon2 takes a while
  const key = newApiKey();
  const created = await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK_KEY]);
    if ((await countUsers(tx)) > 0) return false;
    await insertUser(tx, { username: 'admin', passwordHash, role: 'admin', createdBy: 'first start' });
    await insertKey(tx, { name: 'ingest (first start)', prefix: key.prefix, hash: key.hash, scopes: ['ingest'], createdBy: 'first start' });
    return true;
  });
  if (!created) return { created: false };
  mkdirSync(opts.dataDir, { recursive: true });
  const keyFile = join(opts.dataDir, INGEST_KEY_FILE);
  writeFileSync(keyFile, `${key.key}\n`, { mode: 0o600 });
  return { created: true, ingestKey: key.key, keyFile, ...(opts.adminPassword ? {} : { generatedPassword: password }) };
}

/** The once-only message for the operator's terminal (stdout, never the JSON log). */
export function bootstrapMessage(r: BootstrapResult): string {
  if (!r.created) return '';
  const lines = [
    '',
    '==================== LogSage first start ====================',
    r.generatedPassword
      ? `Admin login:  admin / ${r.generatedPassword}   (shown this once; change it after logging in)`
      : 'Admin login:  admin / the password in ADMIN_PASSWORD',
    `Ingest key:   ${r.ingestKey}`,
    `              (also saved to ${r.keyFile}; send it as "Authorization: Bearer <key>")`,
    '=============================================================',
    '',
  ];
  return lines.join('\n');
}
