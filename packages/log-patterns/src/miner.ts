// The template miner: header stripping, masking, Drain clustering, stable ids and LRU eviction.
import { templateId } from './hash.js';
import { headerLength } from './header.js';
import { LayoutLearner } from './layout-learner.js';
import type { HeaderFields } from './layout.js';
import { WILDCARD } from './masks.js';
import { resolveOptions } from './options.js';
import { extractParams, tokenParams } from './params.js';
import { LruList } from './lru.js';
import { BestCluster, generalise } from './similarity.js';
import { checkSnapshot } from './snapshot.js';
import { keepApart } from './variants.js';
import { stretchMatch } from './stretch.js';
import type { Snapshot } from './snapshot.js';
import { compileMasks, tokenize } from './tokens.js';
import type { CompiledMasks, Tokens } from './tokens.js';
import { ParseTree, wildcardSlots } from './tree.js';
import type { Cluster, TreeNode } from './tree.js';
import type { AddResult, MatchResult, MinerOptions, ResolvedOptions, TemplateInfo } from './types.js';

export class TemplateMiner {
  readonly options: Readonly<ResolvedOptions>;
  private readonly masks: CompiledMasks;
  private readonly tree: ParseTree;
  private readonly byId = new Map<string, Cluster>();
  private readonly lru = new LruList();
  // Scratch state reused by every lookup so the per-line path allocates nothing for it.
  private readonly best = new BestCluster();
  /** The leaves the last lookup reached; a new array per lookup (see find()). */
  private leaves: TreeNode[] = [];
  // One learned header layout per log source; the key is the caller's source name.
  private readonly layouts = new Map<string, LayoutLearner>();

  constructor(options: MinerOptions = {}) {
    this.options = resolveOptions(options);
    this.masks = compileMasks({
      builtins: this.options.builtins,
      custom: this.options.custom.map((c) => ({ name: c.name, pattern: new RegExp(c.source, c.flags) })),
    });
    this.tree = new ParseTree(this.options.depth, this.options.maxChildren);
  }

  /** Number of templates currently held. */
  get size(): number {
    return this.byId.size;
  }

  /**
   * Learns from one raw log line of `source`. Its header is removed as that source's learned
   * layout says (the first lines of a source are judged by generic shape rules until it is known),
   * unless `stripHeader` is off.
   */
  add(line: string, source = ''): AddResult {
    if (!this.options.stripHeader) return this.addMessage(line);
    const start = this.layout(source).observe(line);
    return this.addMessage(start < 0 ? line.slice(headerLength(line)) : start === 0 ? line : line.slice(start));
  }

  /** Teaches a source's header layout from lines read ahead (a batch) before they are added. */
  prime(lines: readonly string[], source = ''): void {
    this.layout(source).prime(lines);
  }

  /** The message of a raw line of `source` and what its header carried; learns nothing. */
  split(line: string, source = ''): { message: string; fields: HeaderFields } {
    const learner = this.layouts.get(source);
    if (learner?.layout == null) return { message: line.slice(headerLength(line)), fields: {} };
    return learner.split(line);
  }

  private layout(source: string): LayoutLearner {
    let l = this.layouts.get(source);
    if (l === undefined) {
      l = new LayoutLearner();
      this.layouts.set(source, l);
    }
    return l;
  }

  /** Learns from a message whose header the caller has already removed. */
  addMessage(message: string): AddResult {
    const tokens = tokenize(message, this.masks);
    const c = this.find(tokens.masked);
    const siblings: Cluster[] = [];
    if (c === null || (!this.best.exact && keepApart(c, this.leaves, tokens.masked, this.options.wordVariants, siblings))) {
      const stretched = stretchMatch(this.tree, tokens.masked, this.leaves);
      if (stretched === null) return this.create(tokens, message);
      stretched.size++;
      this.lru.touch(stretched);
      return this.result(stretched, tokens, message, 'none');
    }
    c.size++;
    this.lru.touch(c);
    let widened = this.best.exact ? null : generalise(c.tokens, tokens.masked);
    if (widened === null) return this.result(c, tokens, message, 'none');
    const mergedIds: string[] = [];
    for (const s of siblings) {
      mergedIds.push(s.id);
      // A variant folded in may hold <*> where this template keeps a word (`… index <*>` beside
      // `… index cache`): the folded template takes it, or the variant's lines would not fit it.
      widened = generalise(widened, s.tokens) ?? widened;
      this.absorb(c, s);
    }
    const previous = { templateId: c.id, template: c.template };
    this.byId.delete(c.id);
    c.tokens = widened;
    c.slots = wildcardSlots(widened);
    c.template = widened.join(' ');
    c.id = templateId(c.template);
    this.relocate(c);
    const twin = this.byId.get(c.id);
    // Two clusters whose templates became identical must become one: they share an id.
    if (twin !== undefined) this.absorb(c, twin);
    this.byId.set(c.id, c);
    const res = { ...this.result(c, tokens, message, 'updated'), previous };
    return mergedIds.length > 0 ? { ...res, mergedIds } : res;
  }

  /** The template a raw line of `source` would join, without learning; null when none fits. */
  match(line: string, source = ''): MatchResult | null {
    return this.matchMessage(this.options.stripHeader ? this.split(line, source).message : line);
  }

  /** Like match() for a message whose header the caller has already removed. */
  matchMessage(message: string): MatchResult | null {
    const tokens = tokenize(message, this.masks);
    const c = this.find(tokens.masked) ?? stretchMatch(this.tree, tokens.masked, this.leaves);
    if (c === null) return null;
    return { templateId: c.id, template: c.template, params: this.params(c, tokens, message) };
  }

  /** All templates, largest first (ties by id, so the order is deterministic). */
  templates(): TemplateInfo[] {
    return [...this.byId.values()]
      .map((c) => ({ templateId: c.id, template: c.template, size: c.size }))
      .sort((a, b) => b.size - a.size || (a.templateId < b.templateId ? -1 : 1));
  }

  /** The miner's state as JSON-safe data (versioned), least recently used cluster first. */
  snapshot(): Snapshot {
    return {
      format: 'logsage.log-patterns',
      version: 1,
      options: { ...this.options },
      clusters: [...this.lru.values()].map((c) => ({
        template: c.template,
        path: [...c.path],
        size: c.size,
      })),
      layouts: Object.fromEntries([...this.layouts].map(([k, l]) => [k, l.toJSON()])),
    };
  }

  /** Rebuilds a miner from snapshot() output (object or JSON text). */
  static restore(data: unknown): TemplateMiner {
    const snap = checkSnapshot(typeof data === 'string' ? (JSON.parse(data) as unknown) : data);
    const o = snap.options;
    const miner = new TemplateMiner({
      depth: o.depth,
      similarityThreshold: o.similarityThreshold,
      maxChildren: o.maxChildren,
      maxClusters: o.maxClusters,
      stripHeader: o.stripHeader,
      wordVariants: o.wordVariants,
      masks: {
        builtins: o.builtins,
        custom: o.custom.map((c) => ({ name: c.name, pattern: new RegExp(c.source, c.flags) })),
      },
    });
    for (const [k, l] of Object.entries(snap.layouts ?? {})) miner.layouts.set(k, new LayoutLearner(l));
    for (const s of snap.clusters) {
      const tokens = s.template === '' ? [] : s.template.split(' ');
      const leaf = miner.tree.leafAt(tokens.length, s.path);
      const id = templateId(s.template);
      const c: Cluster = { tokens, template: s.template, id, size: s.size, path: [...s.path], leaf, older: null, newer: null, slots: wildcardSlots(tokens) };
      leaf.clusters.push(c);
      miner.byId.set(c.id, c);
      miner.lru.push(c);
    }
    return miner;
  }

  private find(tokens: readonly string[]): Cluster | null {
    const { best } = this;
    best.reset();
    // A fresh array rather than emptying the last one: `length = 0` goes through the runtime
    // and costs several times an allocation on this per-line path.
    let leaves: TreeNode[] = [];
    this.leaves = leaves;
    this.tree.reachable(tokens, leaves);
    for (const leaf of leaves) best.consider(leaf.clusters, tokens);
    const hit = best.pick(tokens.length, this.options.similarityThreshold);
    if (hit !== null) return hit;
    // Drain keys the tree on leading tokens, so a variable second word (`User alice ...`) would
    // start a new template per value. Before creating one, look at the clusters that share the
    // first token; this runs only for lines that matched nothing, which are rare once warm.
    best.reset();
    leaves = [];
    this.leaves = leaves;
    this.tree.siblings(tokens, leaves);
    for (const leaf of leaves) best.consider(leaf.clusters, tokens);
    return best.pick(tokens.length, this.options.similarityThreshold);
  }

  /** Moves a cluster whose template generalised a branch token to the `<*>` branch. */
  private relocate(c: Cluster): void {
    let moved = false;
    for (let i = 0; i < c.path.length; i++) {
      if (c.tokens[i] === WILDCARD && c.path[i] !== WILDCARD) moved = true;
    }
    if (!moved) return;
    const list = c.leaf.clusters;
    list.splice(list.indexOf(c), 1);
    const path: string[] = [];
    const leaf = this.tree.leaf(c.tokens, true, path);
    if (leaf === null) throw new Error('unreachable: leaf creation failed');
    leaf.clusters.push(c);
    c.leaf = leaf;
    c.path = path;
  }

  private create(tokens: Tokens, message: string): AddResult {
    const template = tokens.masked.join(' ');
    const id = templateId(template);
    const twin = this.byId.get(id);
    // A line can land in a different leaf than an identical template (a full node's wildcard
    // branch); it then joins that template rather than creating a second cluster with its id.
    if (twin !== undefined) {
      twin.size++;
      this.lru.touch(twin);
      return this.result(twin, tokens, message, 'none');
    }
    const path: string[] = [];
    const leaf = this.tree.leaf(tokens.masked, true, path);
    if (leaf === null) throw new Error('unreachable: leaf creation failed');
    const c: Cluster = { tokens: tokens.masked, template, id, size: 1, path, leaf, older: null, newer: null, slots: wildcardSlots(tokens.masked) };
    leaf.clusters.push(c);
    this.byId.set(id, c);
    this.lru.push(c);
    const evictedIds = this.evict();
    const res = this.result(c, tokens, message, 'created');
    return evictedIds.length > 0 ? { ...res, evictedIds } : res;
  }

  private absorb(keep: Cluster, gone: Cluster): void {
    keep.size += gone.size;
    this.remove(gone);
  }

  private remove(c: Cluster): void {
    this.byId.delete(c.id);
    this.lru.unlink(c);
    const list = c.leaf.clusters;
    list.splice(list.indexOf(c), 1);
  }

  private evict(): string[] {
    const out: string[] = [];
    while (this.byId.size > this.options.maxClusters && this.lru.oldest !== null) {
      const oldest = this.lru.oldest;
      this.remove(oldest);
      out.push(oldest.id);
    }
    return out;
  }

  private result(c: Cluster, tokens: Tokens, message: string, changeType: AddResult['changeType']): AddResult {
    return { templateId: c.id, template: c.template, params: this.params(c, tokens, message), changeType, size: c.size };
  }

  private params(c: Cluster, tokens: Tokens, message: string): string[] {
    const out: string[] = [];
    // A stretched line's tokens do not line up with the template's: its values come from the text.
    if (this.masks.custom.length === 0 && tokens.masked.length === c.tokens.length) {
      let ok = true;
      for (let k = 0; k < c.slots.length && ok; k++) {
        const i = c.slots[k] ?? 0;
        const t = c.tokens[i] ?? '';
        const raw = tokens.raw[i] ?? '';
        if (t === WILDCARD) out.push(raw);
        else ok = tokenParams(t, raw, out);
      }
      if (ok) return out;
    }
    // Custom masks rewrite the text before tokenising, so the raw values come from the message.
    return extractParams(c.template, message) ?? out;
  }
}
