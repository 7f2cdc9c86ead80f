import { SECRET_FIELDS } from './channels/schema.js';
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

/** A channel's settings with every secret masked, safe to return from the API. */
export function maskConfig(type: ChannelType, config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...config };
  for (const field of SECRET_FIELDS[type]) {
    const v = out[field];
    if (v === undefined) continue;
    if (field === 'url' && typeof v === 'string') out[field] = maskUrl(v);
    else if (typeof v === 'string') out[field] = maskString(v);
    else if (v && typeof v === 'object') {
      out[field] = Object.fromEntries(Object.entries(v as Record<string, string>).map(([k, x]) => [k, maskString(String(x))]));
    }
  }
  return out;
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
