// The API reports bad fields in three shapes: schema validation `[{ field: 'conditions/levels/0', reason }]`,
// service checks `[{ field: 'conditions.text_regex', reason }]`, and channel settings
// `{ errors: [{ path: '/webhook_url', message }] }`. Forms want one map from a dotted field path to the
// reason, so each message can stand under the input it concerns.
import { ApiError } from '../api/http';

/** A reason per dotted field path (`conditions.text_regex`, `config.secret`); '' holds reasons with no field. */
export type FieldErrors = Record<string, string>;

const dotted = (path: string): string =>
  path
    .replace(/^\//, '')
    .split(/[/.]/)
    .filter((p) => p !== '' && !/^\d+$/.test(p))
    .join('.');

function add(out: FieldErrors, field: string, reason: string): void {
  const key = dotted(field);
  out[key] = out[key] ? `${out[key]}; ${reason}` : reason;
}

/**
 * The field errors an API error carries, keyed by dotted path; `prefix` puts nested settings under
 * their parent (`config.` for a channel's settings, which the server reports relative to `config`).
 */
export function fieldErrors(err: unknown, prefix = ''): FieldErrors {
  const out: FieldErrors = {};
  if (!(err instanceof ApiError)) return out;
  const d = err.details;
  if (Array.isArray(d)) {
    for (const e of d as { field?: unknown; reason?: unknown }[]) {
      if (typeof e?.reason === 'string') add(out, typeof e.field === 'string' ? e.field : '', e.reason);
    }
  } else if (d && typeof d === 'object' && Array.isArray((d as { errors?: unknown }).errors)) {
    for (const e of (d as { errors: { path?: unknown; message?: unknown }[] }).errors) {
      if (typeof e?.message !== 'string') continue;
      const path = typeof e.path === 'string' && e.path !== '/' ? `${prefix}${e.path.replace(/^\//, '')}` : prefix.replace(/\.$/, '');
      add(out, path, e.message);
    }
  }
  return out;
}

/** The reason for `field` or any field inside it (`conditions` also shows `conditions.levels`). */
export function errorAt(errors: FieldErrors, field: string): string | undefined {
  const hits = Object.entries(errors).filter(([k]) => k === field || k.startsWith(`${field}.`));
  return hits.length ? hits.map(([, v]) => v).join('; ') : undefined;
}
