import { randomBytes, timingSafeEqual } from 'node:crypto';
import { sha256 } from '../../lib/hash.js';
import { hash, verify } from '@node-rs/argon2';

const KEY_RE = /^(lsk_[0-9a-f]{8})_[A-Za-z0-9_-]{43}$/;

/** Compares two hex digests in constant time (equal lengths by construction). */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/** A new API key: `lsk_<8 hex>_<43 base64url>`; the first part is its visible prefix. */
export function newApiKey(): { key: string; prefix: string; hash: string } {
  const prefix = `lsk_${randomBytes(4).toString('hex')}`;
  const key = `${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: sha256(key) };
}

/** The visible prefix of a well-formed key, or undefined for anything else. */
export function keyPrefix(key: string): string | undefined {
  return KEY_RE.exec(key)?.[1];
}

/** A new session id (256 random bits) and the digest stored in its place. */
export function newSessionId(): { id: string; hash: string } {
  const id = randomBytes(32).toString('base64url');
  return { id, hash: sha256(id) };
}

/** A readable random password for the first admin: 24 base64url characters (144 bits). */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/** Hashes a password with argon2id (the library's default algorithm, RFC 9106 parameters). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// Verifying against this when the account does not exist keeps the answer time the same, so the
// time of a failed login does not tell whether a username exists.
let dummyHash: Promise<string> | undefined;

/** Checks `password` against `stored`, or against a dummy hash when there is no account. */
export async function verifyPassword(stored: string | undefined, password: string): Promise<boolean> {
  if (stored === undefined) {
    dummyHash ??= hash(generatePassword());
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}
