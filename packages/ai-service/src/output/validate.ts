// Validation of the parsed reply against the same TypeBox schema the prompt shows. Results for
// ids not in the request are dropped; ids the model left out are reported so the caller can
// answer PARTIAL.
import Value from 'typebox/value';
import { ReplySchema, ResultSchema, type ModelResult } from '../prompts/schema.js';

export type Validated =
  | { ok: true; results: ModelResult[]; missing: string[]; unknown: string[] }
  | { ok: false; error: string };

// Models often capitalise enum values ("High"); that is not worth a repair round trip.
function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return { results: value.map(normalise) };
  if (typeof value !== 'object' || value === null) return value;
  const record = { ...(value as Record<string, unknown>) };
  if (Array.isArray(record.results)) record.results = record.results.map(normaliseResult);
  return record;
}

function normaliseResult(item: unknown): unknown {
  if (typeof item !== 'object' || item === null) return item;
  const r = { ...(item as Record<string, unknown>) };
  for (const key of ['severity', 'category']) {
    const v = r[key];
    if (typeof v === 'string') r[key] = v.trim().toLowerCase();
  }
  if ('key_params' in r) {
    const k = normaliseKeyParams(r.key_params);
    if (k === undefined) delete r.key_params;
    else r.key_params = k;
  }
  return r;
}

// A malformed key_params is not worth a repair round trip either, nor may it fail the other
// results: it becomes [-1], which the range check (key-params.ts) rejects, so the verdict falls
// back to "every value matters" (one verdict per message) and the fallback is counted.
function normaliseKeyParams(v: unknown): number[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.length > 32) return [-1];
  const out = (v as unknown[]).map((x) => (typeof x === 'string' && /^\s*\d+\s*$/.test(x) ? Number(x) : x));
  return out.every((x): x is number => Number.isInteger(x)) ? out : [-1];
}

function describeErrors(value: unknown): string {
  const errors = Value.Errors(ReplySchema, value).slice(0, 5);
  return errors.map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
}

function partition(results: ModelResult[], ids: readonly string[]): Validated {
  const wanted = new Set(ids);
  const seen = new Map<string, ModelResult>();
  const unknown: string[] = [];
  for (const r of results) {
    if (!wanted.has(r.id)) unknown.push(r.id);
    else if (!seen.has(r.id)) seen.set(r.id, r);
  }
  const missing = ids.filter((id) => !seen.has(id));
  return { ok: true, results: [...seen.values()], missing, unknown };
}

/** Checks a parsed reply; on success returns the results for the requested ids. */
export function validateReply(value: unknown, ids: readonly string[]): Validated {
  const candidate = normalise(value);
  if (!Value.Check(ReplySchema, candidate)) return { ok: false, error: describeErrors(candidate) };
  return partition(candidate.results, ids);
}

/** Keeps the individually valid results of a reply that failed validation as a whole. */
export function salvageResults(value: unknown, ids: readonly string[]): Validated {
  const candidate = normalise(value) as { results?: unknown };
  const items = Array.isArray(candidate?.results) ? (candidate.results as unknown[]) : [];
  const valid = items.filter((item): item is ModelResult => Value.Check(ResultSchema, item));
  return partition(valid, ids);
}
