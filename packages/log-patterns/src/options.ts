// Defaults and validation of miner options. One default configuration serves every log source.
import { ALL_MASKS } from './masks.js';
import type { MinerOptions, ResolvedOptions } from './types.js';

/** The defaults every source gets unless the caller overrides them. */
export const DEFAULT_OPTIONS: Readonly<ResolvedOptions> = Object.freeze({
  depth: 4,
  similarityThreshold: 0.7,
  maxChildren: 100,
  maxClusters: 50_000,
  // Values are masked by their shape, never by their place: quoted strings token by token, not
  // whole (`"GET /a HTTP/1.1"` and `"POST /b HTTP/1.1"` are two events, and a quoted name such as
  // `service 'sparkDriver'` often tells events apart), and `key=value` only where the value looks
  // like one (`uid=0` masks, `state=RUNNING` stays a word until it varies; see variants.ts).
  // Snapshots made with 'quoted' or 'keyValue' on keep them.
  builtins: ALL_MASKS.filter((m) => m !== 'quoted' && m !== 'keyValue'),
  custom: [],
  stripHeader: true,
  wordVariants: 4,
});

function check(ok: boolean, message: string): void {
  if (!ok) throw new RangeError(`log-patterns: ${message}`);
}

/** Fills in defaults and rejects values the tree cannot work with. */
export function resolveOptions(options: MinerOptions = {}): ResolvedOptions {
  const r: ResolvedOptions = {
    depth: options.depth ?? DEFAULT_OPTIONS.depth,
    similarityThreshold: options.similarityThreshold ?? DEFAULT_OPTIONS.similarityThreshold,
    maxChildren: options.maxChildren ?? DEFAULT_OPTIONS.maxChildren,
    maxClusters: options.maxClusters ?? DEFAULT_OPTIONS.maxClusters,
    builtins: [...(options.masks?.builtins ?? DEFAULT_OPTIONS.builtins)],
    custom: (options.masks?.custom ?? []).map((m) => ({
      name: m.name,
      source: m.pattern.source,
      flags: m.pattern.flags,
    })),
    stripHeader: options.stripHeader ?? DEFAULT_OPTIONS.stripHeader,
    wordVariants: options.wordVariants ?? DEFAULT_OPTIONS.wordVariants,
  };
  check(Number.isInteger(r.depth) && r.depth >= 3, 'depth must be an integer >= 3');
  check(r.similarityThreshold >= 0 && r.similarityThreshold <= 1, 'similarityThreshold in 0..1');
  check(Number.isInteger(r.maxChildren) && r.maxChildren >= 2, 'maxChildren must be >= 2');
  check(Number.isInteger(r.maxClusters) && r.maxClusters >= 1, 'maxClusters must be >= 1');
  check(Number.isInteger(r.wordVariants) && r.wordVariants >= 1, 'wordVariants must be an integer >= 1');
  for (const b of r.builtins) check(ALL_MASKS.includes(b), `unknown mask "${String(b)}"`);
  return r;
}
