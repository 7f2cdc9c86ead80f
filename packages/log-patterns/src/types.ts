// Public types shared by the miner, the masking step and snapshots.

/** Names of the built-in masks; each replaces a variable value with `<*>` before clustering. */
export type MaskName =
  | 'url'
  | 'email'
  | 'ipv6'
  | 'ipv4'
  | 'host'
  | 'uuid'
  | 'timestamp'
  | 'hex'
  | 'duration'
  | 'size'
  | 'number'
  | 'path'
  | 'quoted'
  | 'keyValue'
  | 'digits';

/** A caller-supplied mask: every match of `pattern` becomes `<*>`. */
export interface CustomMask {
  name: string;
  /** Applied with the global flag added when missing. */
  pattern: RegExp;
}

export interface MaskOptions {
  /** Built-in masks to apply; defaults to all of them. */
  builtins?: readonly MaskName[];
  /** Extra regex masks, applied to the message before tokenising. */
  custom?: readonly CustomMask[];
}

export interface MinerOptions {
  /** Depth of the parse tree including root and length level (Drain's `depth`, >= 3). */
  depth?: number;
  /** Fraction of equal tokens a line needs to join a cluster (0..1). */
  similarityThreshold?: number;
  /** Children per inner tree node before new tokens share the `<*>` branch. */
  maxChildren?: number;
  /** Clusters kept before the least recently used one is evicted. */
  maxClusters?: number;
  /** Masking applied before clustering. */
  masks?: MaskOptions;
  /** Whether add()/match() remove a log header (timestamp, level, thread, component) first. */
  stripHeader?: boolean;
  /**
   * Distinct words a position must show before lines differing only there share a template
   * (default 1: they share one at once, as in Drain; see variants.ts).
   */
  wordVariants?: number;
}

/** Fully resolved options, as stored in snapshots. */
export interface ResolvedOptions {
  depth: number;
  similarityThreshold: number;
  maxChildren: number;
  maxClusters: number;
  builtins: MaskName[];
  custom: { name: string; source: string; flags: string }[];
  stripHeader: boolean;
  wordVariants: number;
}

export type ChangeType = 'created' | 'updated' | 'none';

/** Outcome of feeding one line to the miner. */
export interface AddResult {
  templateId: string;
  template: string;
  /** The values behind each `<*>` of the template, in order. */
  params: string[];
  changeType: ChangeType;
  /** Set when changeType is 'updated': the id and text the cluster had before this line. */
  previous?: { templateId: string; template: string };
  /** Ids of other clusters folded into this one because its new template covers theirs. */
  mergedIds?: string[];
  /** Ids of clusters evicted to stay within maxClusters. */
  evictedIds?: string[];
  /** Number of lines the cluster has absorbed, this one included. */
  size: number;
}

/** Outcome of match(): the template a line belongs to, without learning. */
export interface MatchResult {
  templateId: string;
  template: string;
  params: string[];
}

/** One learned template as listed by templates(). */
export interface TemplateInfo {
  templateId: string;
  template: string;
  size: number;
}
