// Values a JSON body can carry that PostgreSQL cannot store: a NUL character (text and jsonb refuse
// it), a lone UTF-16 surrogate (not valid UTF-8), and a non-finite number (Fastify's schema coercion
// turns the string "Infinity" or "1e309" into Infinity, which passes an integer schema and fails in
// the database). Each reached the database from a settings body and answered 500; found by the
// settings property tests.
import { AppError } from './errors.js';

const MAX_DEPTH = 64;

function problem(value: unknown): string | null {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) return 'holds a NUL character, which cannot be stored';
    if (!value.isWellFormed()) return 'holds an unpaired UTF-16 surrogate, which is not valid text';
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return 'must be a finite number';
  return null;
}

/** The first field of a parsed body that cannot be stored, as `{ field, reason }`, or null. */
export function unstorable(value: unknown, path = '', depth = 0): { field: string; reason: string } | null {
  const p = problem(value);
  if (p !== null) return { field: path, reason: p };
  if (depth >= MAX_DEPTH || value === null || typeof value !== 'object') return null;
  for (const [key, v] of Object.entries(value)) {
    const at = path === '' ? key : `${path}/${key}`;
    const keyProblem = problem(key);
    if (keyProblem !== null) return { field: at, reason: `its name ${keyProblem}` };
    const found = unstorable(v, at, depth + 1);
    if (found !== null) return found;
  }
  return null;
}

/** Throws the 400 that names the first unstorable field of a body (after schema validation and coercion). */
export function assertStorable(body: unknown): void {
  const found = unstorable(body);
  if (found !== null) throw new AppError('bad_request', `invalid body: ${found.field || 'the body'} ${found.reason}`, [found]);
}
