import { createSecretKey, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/index.js';
import { secretsKey } from '../src/config/vars-alerting.js';
import { AppError } from '../src/lib/errors.js';
import { isSealed, seal, sealedMask, SecretsError, unseal } from '../src/modules/notify/secret-box.js';
import { maskConfig, mergeConfig, openConfig, sealConfig, validationView } from '../src/modules/notify/secrets.js';

const key = () => createSecretKey(randomBytes(32));
const DECRYPT_ERROR = 'channel secrets cannot be decrypted: SECRETS_KEY changed?';

/** Flips one bit of the base64 part `index` (0 iv, 1 tag, 2 ciphertext, 3 mask) of a sealed value. */
function flip(sealed: string, index: number): string {
  const parts = sealed.split(':');
  const bytes = Buffer.from(parts[2 + index]!, 'base64');
  bytes[0]! ^= 1;
  parts[2 + index] = bytes.toString('base64');
  return parts.join(':');
}

describe('secret encryption (AES-256-GCM)', () => {
  it('round-trips, with a fresh IV per value and no plain text in the stored form', () => {
    const k = key();
    const a = seal('p@ss wörd-0123456789', '••••6789', k);
    const b = seal('p@ss wörd-0123456789', '••••6789', k);
    expect(a).toMatch(/^enc:v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('p@ss');
    expect(Buffer.from(a.split(':')[2]!, 'base64')).toHaveLength(12);
    expect(unseal(a, k)).toBe('p@ss wörd-0123456789');
    expect(unseal(b, k)).toBe('p@ss wörd-0123456789');
    expect(sealedMask(a)).toBe('••••6789');
    expect(isSealed(a)).toBe(true);
    expect(isSealed('SECplain')).toBe(false);
  });

  it('detects a changed IV, tag, ciphertext or mask, and another key, with one clear error', () => {
    const k = key();
    const v = seal('SECsecret-0123456789', '••••6789', k);
    for (const part of [0, 1, 2, 3]) expect(() => unseal(flip(v, part), k), `part ${part}`).toThrow(SecretsError);
    expect(() => unseal(v, key())).toThrow(DECRYPT_ERROR);
    expect(() => unseal('enc:v1:not:base64!:at:all', k)).toThrow(SecretsError);
    let err: unknown;
    try {
      unseal(v, key());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).not.toContain(v.split(':')[4]);
  });
});

describe('SECRETS_KEY', () => {
  const k32 = randomBytes(32);
  it('takes 32 bytes as 64 hex characters or base64 (standard or URL-safe, padding optional)', () => {
    const material = (raw: string) => secretsKey(raw).export();
    expect(material(k32.toString('hex'))).toEqual(k32);
    expect(material(k32.toString('hex').toUpperCase())).toEqual(k32);
    expect(material(`${k32.toString('base64')}\n`)).toEqual(k32);
    expect(material(k32.toString('base64url'))).toEqual(k32);
    expect(parseConfig({}).SECRETS_KEY).toBeUndefined();
    expect(parseConfig({ SECRETS_KEY: k32.toString('base64') }).SECRETS_KEY?.symmetricKeySize).toBe(32);
  });

  it('refuses other lengths and alphabets in the configuration error, without echoing the value', () => {
    for (const bad of [randomBytes(16).toString('base64'), randomBytes(31).toString('hex'), `${'z'.repeat(63)}!`, 'hunter2']) {
      let err: unknown;
      try {
        parseConfig({ SECRETS_KEY: bad });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).message).toMatch(/SECRETS_KEY: must be 32 bytes as base64 \(44 characters\) or 64 hex characters/);
      expect((err as AppError).message).not.toContain(bad);
    }
  });
});

describe('channel settings at rest', () => {
  const webhook = { url: 'https://hooks.example.com/path/tok-0123456789', secret: 'wh-secret-0123456789', headers: { 'X-Token': 'hdr-secret-0123456789' } };

  it('encrypts every secret field, keeps the rest readable, and masks without the key', () => {
    const k = key();
    const sealed = sealConfig('webhook', webhook, k);
    expect(JSON.stringify(sealed)).not.toMatch(/tok-0123456789|wh-secret|hdr-secret/);
    expect(isSealed(sealed.url)).toBe(true);
    expect(maskConfig('webhook', sealed)).toEqual(maskConfig('webhook', webhook));
    expect(maskConfig('webhook', sealed)).toEqual({ url: 'https://hooks.example.com/••••6789', secret: '••••6789', headers: { 'X-Token': '••••6789' } });
    expect(openConfig('webhook', sealed, k)).toEqual(webhook);
    expect(sealConfig('webhook', sealed, k)).toEqual(sealed); // sealing twice changes nothing
    const email = sealConfig('email', { host: 'smtp.example.com', port: 25, username: 'alerts', password: 'p@ss' }, k);
    expect(email).toMatchObject({ host: 'smtp.example.com', port: 25, username: 'alerts' });
    expect(isSealed(email.password)).toBe(true);
  });

  it('reads plain-text (legacy) values as they are, and a wrong key as SecretsError', () => {
    const k = key();
    expect(openConfig('webhook', webhook, k)).toEqual(webhook);
    const mixed = { ...webhook, secret: seal('wh-secret-0123456789', '••••6789', k) };
    expect(openConfig('webhook', mixed, k)).toEqual(webhook);
    expect(() => openConfig('webhook', mixed, key())).toThrow(SecretsError);
  });

  it('a PATCH keeps omitted or masked encrypted values, and validation sees their masks', () => {
    const k = key();
    const stored = sealConfig('webhook', webhook, k);
    const merged = mergeConfig('webhook', stored, { url: maskConfig('webhook', stored).url, headers: { 'X-Token': '••••6789', 'X-New': 'v' } });
    expect(merged.url).toBe(stored.url);
    expect(merged.secret).toBe(stored.secret);
    expect((merged.headers as Record<string, string>)['X-Token']).toBe((stored.headers as Record<string, string>)['X-Token']);
    expect(validationView('webhook', merged)).toMatchObject({ url: 'https://hooks.example.com/••••6789', headers: { 'X-New': 'v' } });
    expect(openConfig('webhook', sealConfig('webhook', merged, k), k)).toEqual({ ...webhook, headers: { ...webhook.headers, 'X-New': 'v' } });
  });
});
