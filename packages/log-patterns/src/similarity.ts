// Choosing the cluster a line joins inside one tree leaf, and generalising its template.
import { WILDCARD } from './masks.js';
import type { Cluster } from './tree.js';

/** Share of a template's literal tokens a line must repeat to generalise it. */
const FLOOR = 0.5;

/**
 * Running choice of the cluster a line joins, fed leaf by leaf. A template the line already fits
 * wins (the most specific one first); otherwise the share of identical tokens must reach the
 * threshold, ties going to the template with more wildcards.
 */
/**
 * Ties go to the larger cluster, then the smaller id: never to the order clusters sit in a leaf,
 * which differs between a miner and its restored snapshot (word variants made such ties common).
 */
function before(c: Cluster, other: Cluster | null): boolean {
  return other === null || c.size > other.size || (c.size === other.size && c.id < other.id);
}

export class BestCluster {
  private fit: Cluster | null = null;
  private fitLiterals = -1;
  private best: Cluster | null = null;
  private bestScore = -1;
  private bestWild = -1;
  private bestLiteral = -1;
  /** After pick(): the line fits the chosen template as it is, so nothing generalises. */
  exact = false;

  /** Forgets previous candidates. */
  reset(): void {
    this.fit = null;
    this.fitLiterals = -1;
    this.best = null;
    this.bestScore = -1;
    this.bestWild = -1;
    this.bestLiteral = -1;
  }

  /** Scores every cluster of one leaf against the line. */
  consider(clusters: readonly Cluster[], tokens: readonly string[]): void {
    const n = tokens.length;
    for (const c of clusters) {
      const t = c.tokens;
      // `same` counts identical positions, masked values included: two lines with a number in the
      // same place agree there. A template `<*>` facing a literal does not count: it is no evidence
      // that the line belongs here, and counting it lets a generalised template swallow its
      // neighbours. Such lines still join when they fit the template exactly.
      let same = 0;
      let literal = 0;
      let wild = 0;
      let fits = true;
      for (let i = 0; i < n; i++) {
        const a = t[i];
        if (a === WILDCARD) {
          wild++;
          if (tokens[i] === WILDCARD) same++;
        } else if (a === tokens[i]) {
          same++;
          literal++;
        } else {
          fits = false;
        }
      }
      if (fits && (literal > this.fitLiterals || (literal === this.fitLiterals && before(c, this.fit)))) {
        this.fit = c;
        this.fitLiterals = literal;
      }
      if (same > this.bestScore || (same === this.bestScore && (wild > this.bestWild || (wild === this.bestWild && before(c, this.best))))) {
        this.best = c;
        this.bestScore = same;
        this.bestWild = wild;
        this.bestLiteral = literal;
      }
    }
  }

  /** The chosen cluster, or null when none fits or reaches the threshold. */
  pick(n: number, threshold: number): Cluster | null {
    this.exact = this.fit !== null;
    if (this.fit !== null) return this.fit;
    if (this.best === null || n === 0 || this.bestScore / n < threshold) return null;
    // Similarity floor: the line must share at least half of the template's own words. A general
    // template (many `<*>`) otherwise reaches the threshold on wildcards alone and swallows a rare
    // line of another event.
    return this.bestLiteral >= FLOOR * (n - this.bestWild) ? this.best : null;
  }
}

/** Template tokens with every position where the line differs turned into `<*>`; null if none. */
export function generalise(template: readonly string[], tokens: readonly string[]): string[] | null {
  let out: string[] | null = null;
  for (let i = 0; i < template.length; i++) {
    if (template[i] !== tokens[i] && template[i] !== WILDCARD) {
      out ??= template.slice();
      out[i] = WILDCARD;
    }
  }
  return out;
}
