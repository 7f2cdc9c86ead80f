// Drain's fixed-depth parse tree: the first level keys on token count, the next `depth - 2`
// levels on leading tokens, and leaves hold the candidate clusters. Only the few clusters in one
// leaf are compared with a line, which is what makes Drain fast.
import { WILDCARD } from './masks.js';

export interface Cluster {
  tokens: string[];
  template: string;
  id: string;
  size: number;
  /** Keys from the length node down to the leaf; stored in snapshots so restore rebuilds it. */
  path: string[];
  leaf: TreeNode;
  /** Indices of template tokens holding a `<*>`, where parameters come from. */
  slots: number[];
  /** Neighbours in the miner's least-recently-used list. */
  older: Cluster | null;
  newer: Cluster | null;
}

export interface TreeNode {
  children: Map<string, TreeNode>;
  /** The `<*>` child, also in `children`: every lookup tries it, so it is kept at hand. */
  wild: TreeNode | null;
  clusters: Cluster[];
}

/** Indices of the tokens that contain a `<*>`. */
export function wildcardSlots(tokens: readonly string[]): number[] {
  const out: number[] = [];
  tokens.forEach((t, i) => {
    if (t.includes(WILDCARD)) out.push(i);
  });
  return out;
}

function newNode(): TreeNode {
  return { children: new Map(), wild: null, clusters: [] };
}

/** Creates the child of `node` at `key`. */
function addChild(node: TreeNode, key: string): TreeNode {
  const child = newNode();
  node.children.set(key, child);
  if (key === WILDCARD) node.wild = child;
  return child;
}

function hasDigit(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

/** The branch key a token takes: variable-looking tokens share the wildcard branch. */
export function branchKey(token: string): string {
  return token === WILDCARD || hasDigit(token) ? WILDCARD : token;
}

function collectLeaves(node: TreeNode, levels: number, out: TreeNode[]): void {
  if (levels === 0) {
    out.push(node);
    return;
  }
  for (const child of node.children.values()) collectLeaves(child, levels - 1, out);
}

export class ParseTree {
  private readonly byLength = new Map<number, TreeNode>();
  /** Scratch for reachable(): the branch keys of the line being looked up. */
  private readonly keys: string[] = [];

  constructor(
    private readonly depth: number,
    private readonly maxChildren: number,
  ) {}

  /**
   * Finds (and when `create` is set, grows) the leaf for a token sequence; the branch keys taken
   * are pushed to `path` when given.
   */
  leaf(tokens: readonly string[], create: boolean, path?: string[]): TreeNode | null {
    let node: TreeNode | undefined = this.byLength.get(tokens.length);
    if (node === undefined) {
      if (!create) return null;
      node = newNode();
      this.byLength.set(tokens.length, node);
    }
    const levels = Math.min(this.depth - 2, tokens.length);
    for (let i = 0; i < levels; i++) {
      const key = branchKey(tokens[i] ?? '');
      let child: TreeNode | undefined = node.children.get(key);
      let used = key;
      if (child === undefined) {
        // A full node sends new tokens down the shared wildcard branch, bounding fan-out; a
        // lookup without learning tries that branch for any unknown token.
        if (key !== WILDCARD && (!create || node.children.size >= this.maxChildren)) {
          used = WILDCARD;
        }
        child = node.children.get(used);
        if (child === undefined) {
          if (!create) return null;
          child = addChild(node, used);
        }
      }
      path?.push(used);
      node = child;
    }
    return node;
  }

  /**
   * Pushes to `out` every existing leaf a token sequence can reach: its own branch and, at each
   * level, the `<*>` branch, where templates generalised at that position live.
   */
  reachable(tokens: readonly string[], out: TreeNode[]): void {
    const node = this.byLength.get(tokens.length);
    if (node === undefined) return;
    // Each level's key is worked out once, not again for every branch that reaches the level.
    // The scratch array is overwritten, never emptied: emptying it would free its storage.
    const keys = this.keys;
    const levels = Math.min(this.depth - 2, tokens.length);
    for (let i = 0; i < levels; i++) keys[i] = branchKey(tokens[i] ?? '');
    this.descend(node, keys, 0, levels, out);
  }

  private descend(node: TreeNode, keys: readonly string[], level: number, levels: number, out: TreeNode[]): void {
    if (level === levels) {
      out.push(node);
      return;
    }
    const key = keys[level] ?? WILDCARD;
    const child = node.children.get(key);
    if (child !== undefined) this.descend(child, keys, level + 1, levels, out);
    if (key !== WILDCARD && node.wild !== null) this.descend(node.wild, keys, level + 1, levels, out);
  }

  /**
   * Pushes every leaf below the first-level node of the tokens: clusters that share the first
   * token but differ in a later branch token, such as `User alice logged in` for `User bob ...`.
   */
  siblings(tokens: readonly string[], out: TreeNode[]): void {
    if (this.depth - 2 < 2 || tokens.length < 2) return;
    const first = this.byLength.get(tokens.length)?.children.get(branchKey(tokens[0] ?? ''));
    if (first !== undefined) collectLeaves(first, Math.min(this.depth - 2, tokens.length) - 1, out);
  }

  /**
   * Pushes every leaf of templates `length` tokens long whose first branch key is the tokens'
   * own first key or `<*>`: candidates for a line whose optional or multi-token values changed
   * its length.
   */
  sameStart(tokens: readonly string[], length: number, out: TreeNode[]): void {
    const node = this.byLength.get(length);
    if (node === undefined || length < 1) return;
    const levels = Math.min(this.depth - 2, length);
    const key = branchKey(tokens[0] ?? '');
    const own = node.children.get(key);
    if (own !== undefined) collectLeaves(own, levels - 1, out);
    const wild = key === WILDCARD ? null : node.wild;
    if (wild !== null) collectLeaves(wild, levels - 1, out);
  }

  /** Recreates the leaf at a stored path (snapshot restore). */
  leafAt(length: number, path: readonly string[]): TreeNode {
    let node: TreeNode | undefined = this.byLength.get(length);
    if (node === undefined) {
      node = newNode();
      this.byLength.set(length, node);
    }
    for (const key of path) {
      node = node.children.get(key) ?? addChild(node, key);
    }
    return node;
  }
}
