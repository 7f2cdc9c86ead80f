// Snapshot format and its validation. Snapshots are read back from storage the server does not
// fully control, so restore checks every field instead of trusting a cast.
import type { LayoutState } from './layout-learner.js';
import { ALL_MASKS } from './masks.js';
import type { MaskName, ResolvedOptions } from './types.js';

export interface SnapshotCluster {
  template: string;
  /** Branch keys from the length node to the leaf holding the cluster. */
  path: string[];
  size: number;
}

/** Serialisable miner state; `version` changes whenever the shape or meaning changes. */
export interface Snapshot {
  format: 'logsage.log-patterns';
  version: 1;
  options: ResolvedOptions;
  clusters: SnapshotCluster[];
  /**
   * Learned header layouts per source. Optional within version 1: snapshots written before header
   * inference have none and restore with every source still to learn.
   */
  layouts?: Record<string, LayoutState>;
}

function fail(what: string): never {
  throw new TypeError(`log-patterns: invalid snapshot: ${what}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

function checkOptions(o: unknown): ResolvedOptions {
  if (!isRecord(o)) fail('options missing');
  const { depth, similarityThreshold, maxChildren, maxClusters, builtins, custom, stripHeader } = o;
  if (typeof depth !== 'number' || typeof similarityThreshold !== 'number') fail('options.depth');
  if (typeof maxChildren !== 'number' || typeof maxClusters !== 'number') fail('options.max*');
  if (typeof stripHeader !== 'boolean') fail('options.stripHeader');
  // Absent in snapshots written before the option existed: those miners merged words at once.
  const wordVariants = o.wordVariants ?? 1;
  if (typeof wordVariants !== 'number') fail('options.wordVariants');
  if (!isStringArray(builtins) || !builtins.every((b) => ALL_MASKS.includes(b as MaskName))) {
    fail('options.builtins');
  }
  if (!Array.isArray(custom)) fail('options.custom');
  const masks = custom.map((c: unknown) => {
    if (!isRecord(c) || typeof c.name !== 'string' || typeof c.source !== 'string' || typeof c.flags !== 'string') {
      fail('options.custom entry');
    }
    return { name: c.name, source: c.source, flags: c.flags };
  });
  return {
    depth, similarityThreshold, maxChildren, maxClusters, stripHeader, wordVariants,
    builtins: builtins as MaskName[], custom: masks,
  };
}

/** Validates parsed snapshot data and returns it typed. */
export function checkSnapshot(data: unknown): Snapshot {
  if (!isRecord(data) || data.format !== 'logsage.log-patterns') fail('not a log-patterns snapshot');
  if (data.version !== 1) fail(`unsupported version ${String(data.version)}`);
  if (!Array.isArray(data.clusters)) fail('clusters missing');
  const clusters = data.clusters.map((c: unknown, i) => {
    if (!isRecord(c) || typeof c.template !== 'string' || !isStringArray(c.path)) fail(`cluster ${i}`);
    if (typeof c.size !== 'number' || !Number.isInteger(c.size) || c.size < 1) fail(`cluster ${i} size`);
    return { template: c.template, path: c.path, size: c.size };
  });
  const out: Snapshot = { format: 'logsage.log-patterns', version: 1, options: checkOptions(data.options), clusters };
  if (data.layouts !== undefined) out.layouts = checkLayouts(data.layouts);
  return out;
}

function checkLayouts(v: unknown): Record<string, LayoutState> {
  if (!isRecord(v)) fail('layouts');
  const out: Record<string, LayoutState> = {};
  for (const [k, l] of Object.entries(v)) {
    if (!isRecord(l) || !(l.layout === null || typeof l.layout === 'string') || !isStringArray(l.sample)) fail(`layout ${k}`);
    if (typeof l.seen !== 'number' || typeof l.misses !== 'number') fail(`layout ${k} counts`);
    out[k] = { layout: l.layout, sample: l.sample, seen: l.seen, misses: l.misses };
  }
  return out;
}
