import type { KeyObject } from 'node:crypto';
import { DESTINATION_FIELDS, SECRET_FIELDS } from './channels/schema.js';
import { isSealed, seal, sealedMask, unseal } from './secret-box.js';
import type { ChannelType } from './types.js';

export const MASK = '••••';

/** "••••" and the last four characters when the secret is long enough for that to give nothing away. */
function maskString(s: string): string {
  return s.length >= 12 ? `${MASK}${s.slice(-4)}` : MASK;
}

/** Webhook URLs carry their token in the path or query: keep scheme and host, mask the rest. */
function maskUrl(s: string): string {
  try {
    const u = new URL(s);
    return `${u.protocol}//${u.host}/${maskString(s)}`;
  } catch {
    return MASK;
  }
}

function isMasked(v: unknown): boolean {
  return typeof v === 'string' && v.includes(MASK);
}

/** What the API shows for one secret: the mask stored with an encrypted value, or one made from plain text. */
function maskValue(field: string, v: string): string {
  if (isSealed(v)) return sealedMask(v) ?? MASK;
  return field === 'url' ? maskUrl(v) : maskString(v);
}

/** Applies `fn` to every secret value of a channel's settings (strings, and each value of a header map). */
function mapSecrets(type: ChannelType, config: Record<string, unknown>, fn: (field: string, v: string) => string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...config };
  for (const field of SECRET_FIELDS[type]) {
    const v = out[field];
    if (typeof v === 'string') out[field] = fn(field, v);
    else if (v && typeof v === 'object') {
      // Non-strings are left for schema validation to refuse, not turned into text that would pass it.
      out[field] = Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, typeof x === 'string' ? fn(field, x) : x]));
    }
  }
  return out;
}

/** A channel's settings with every secret masked, safe to return from the API. Needs no key. */
export function maskConfig(type: ChannelType, config: Record<string, unknown>): Record<string, unknown> {
  return mapSecrets(type, config, maskValue);
}

/**
 * The settings as schema validation should see them: encrypted values (kept from storage, already
 * checked when they were saved) stand in as their masks, which keep a URL's scheme and host.
 */
export function validationView(type: ChannelType, config: Record<string, unknown>): Record<string, unknown> {
  return mapSecrets(type, config, (field, v) => (isSealed(v) ? maskValue(field, v) : v));
}

/** True when a caller's settings carry a value in the stored encrypted form (only the server writes those). */
export function hasSealedValue(type: ChannelType, config: Record<string, unknown>): boolean {
  let found = false;
  mapSecrets(type, config, (_field, v) => {
    if (isSealed(v)) found = true;
    return v;
  });
  return found;
}

/** Encrypts every secret still in plain text (new values, and rows written before encryption at rest). */
export function sealConfig(type: ChannelType, config: Record<string, unknown>, key: KeyObject): Record<string, unknown> {
  return mapSecrets(type, config, (field, v) => (isSealed(v) ? v : seal(v, maskValue(field, v), key)));
}

/** Decrypts every secret for a send; plain-text values pass as they are. Throws SecretsError on a wrong key. */
export function openConfig(type: ChannelType, config: Record<string, unknown>, key: KeyObject): Record<string, unknown> {
  return mapSecrets(type, config, (_field, v) => (isSealed(v) ? unseal(v, key) : v));
}

/**
 * Applies an update to stored settings: fields present replace, absent secret fields are kept, and a
 * secret sent back still masked (a form that was read and saved) keeps the stored value too.
 */
export function mergeConfig(
  type: ChannelType,
  stored: Record<string, unknown>,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...stored, ...patch };
  for (const field of SECRET_FIELDS[type]) {
    const v = patch[field];
    if (v === undefined) out[field] = stored[field];
    else if (isMasked(v)) out[field] = stored[field];
    else if (v && typeof v === 'object' && stored[field] && typeof stored[field] === 'object') {
      const old = stored[field] as Record<string, string>;
      out[field] = Object.fromEntries(Object.entries(v as Record<string, string>).map(([k, x]) => [k, isMasked(x) ? old[k] : x]));
    }
    if (out[field] === undefined || out[field] === null) delete out[field];
  }
  for (const [k, v] of Object.entries(out)) if (v === null) delete out[k]; // null clears a setting
  return out;
}

/** True when `patch` keeps a stored secret as it is: absent, or sent back masked (whole or in a header map). */
function keepsStored(v: unknown): boolean {
  if (v === undefined || isMasked(v)) return true;
  return !!v && typeof v === 'object' && Object.values(v as Record<string, unknown>).some(isMasked);
}

/** A destination setting as compared: the flag's absence is false, anything else as given. */
const destValue = (field: string, v: unknown): unknown => (field === 'tlsInsecure' ? v === true : v ?? null);

/**
 * The stored secrets an update would carry to a new destination unseen: when `patch` changes where the
 * channel sends (`opened` is the stored settings decrypted, so a re-typed identical URL is no change),
 * every other stored secret must be typed again or cleared with null in the same update.
 */
export function strandedSecrets(type: ChannelType, opened: Record<string, unknown>, patch: Record<string, unknown>): string[] {
  const moved = DESTINATION_FIELDS[type].some((f) => patch[f] !== undefined && !isMasked(patch[f]) && destValue(f, patch[f]) !== destValue(f, opened[f]));
  if (!moved) return [];
  return SECRET_FIELDS[type].filter((f) => !DESTINATION_FIELDS[type].includes(f) && opened[f] !== undefined && keepsStored(patch[f]));
}
