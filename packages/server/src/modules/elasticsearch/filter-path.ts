import { isObject } from './ecs.js';

type Pattern = string[];

/** Parses `filter_path` (comma-separated dotted paths, `*` matching within one name) into patterns. */
export function parseFilterPath(raw: string | undefined): Pattern[] | undefined {
  if (!raw) return undefined;
  const patterns = raw.split(',').map((p) => p.trim()).filter((p) => p !== '' && !p.startsWith('-')).map((p) => p.split('.'));
  return patterns.length > 0 ? patterns : undefined;
}

function matches(segment: string, key: string): boolean {
  if (segment === '*' || segment === '**') return true;
  if (!segment.includes('*')) return segment === key;
  const re = new RegExp(`^${segment.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(key);
}

/**
 * Keeps only the parts of `value` the patterns name, as Elasticsearch's `filter_path` does: arrays
 * are transparent, objects left empty disappear. Filebeat asks for `errors,items.*.error,items.*.status`.
 */
export function filterPath(value: unknown, patterns: Pattern[]): unknown {
  if (Array.isArray(value)) {
    return value.map((v) => filterPath(v, patterns)).filter((v) => v !== undefined);
  }
  if (!isObject(value)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const hits = patterns.filter((p) => matches(p[0]!, key));
    if (hits.length === 0) continue;
    if (hits.some((p) => p.length === 1)) {
      out[key] = v;
      continue;
    }
    const inner = filterPath(v, hits.map((p) => p.slice(1)));
    if (inner !== undefined && !(isObject(inner) && Object.keys(inner).length === 0)) out[key] = inner;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}
