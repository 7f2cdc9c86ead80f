import { createCipheriv, createDecipheriv, randomBytes, type KeyObject } from 'node:crypto';
import { AppError } from '../../lib/errors.js';

/**
 * A channel secret encrypted at rest:
 * `enc:v1:<base64 iv>:<base64 tag>:<base64 ciphertext>:<base64 mask>`.
 * AES-256-GCM with a random 12-byte IV per value. The mask is what the API shows for the secret
 * (`••••1234`), kept beside the ciphertext so reading a channel never needs the key (and still works
 * after the key was lost); it is authenticated as associated data, so it cannot be swapped unnoticed.
 */
const PREFIX = 'enc:v1:';
const B64 = '[A-Za-z0-9+/]*={0,2}';
const SEALED = new RegExp(`^enc:v1:(${B64}):(${B64}):(${B64}):(${B64})$`);

/** Raised at send time when a stored secret does not decrypt; never carries the ciphertext or the key. */
export class SecretsError extends AppError {
  constructor() {
    super('conflict', 'channel secrets cannot be decrypted: SECRETS_KEY changed?');
    this.name = 'SecretsError';
  }
}

/** True for a value in the encrypted form; anything else (written before encryption) is plain text. */
export function isSealed(v: unknown): v is string {
  return typeof v === 'string' && v.startsWith(PREFIX);
}

/** Encrypts one secret; `mask` is the text shown for it on read. */
export function seal(plain: string, mask: string, key: KeyObject): string {
  const iv = randomBytes(12);
  const maskBytes = Buffer.from(mask, 'utf8');
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(maskBytes);
  const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), ct, maskBytes].map((b) => b.toString('base64'));
  return PREFIX + parts.join(':');
}

/** The mask stored with an encrypted value (no key needed); undefined when the value is malformed. */
export function sealedMask(v: string): string | undefined {
  const m = SEALED.exec(v);
  return m ? Buffer.from(m[4]!, 'base64').toString('utf8') : undefined;
}

/** Decrypts one value; a wrong key, a tampered or a malformed value throws SecretsError. */
export function unseal(v: string, key: KeyObject): string {
  const m = SEALED.exec(v);
  if (!m) throw new SecretsError();
  const [iv, tag, ct, mask] = m.slice(1).map((s) => Buffer.from(s, 'base64')) as [Buffer, Buffer, Buffer, Buffer];
  if (iv.length !== 12 || tag.length !== 16) throw new SecretsError();
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
    decipher.setAAD(mask);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
  } catch {
    // GCM's "unable to authenticate data": another key, or a changed byte. Both mean the same to the user.
    throw new SecretsError();
  }
}
