// Choosing the cluster a line joins inside one tree leaf, and generalising its template.
import { WILDCARD } from './masks.js';
import type { Cluster } from './tree.js';

export interface Candidate {
  cluster: Cluster;
  /** The line fits the template as it is: every literal token is equal. */
  exact: boolean;
}

/**
 * Best cluster for a token sequence among same-length clusters. A template the line already fits
 * wins (the most specific one first); otherwise the share of equal tokens must reach `threshold`.
 */
export function bestCluster(
  clusters: readonly Cluster[],
  tokens: readonly string[],
  threshold: number,
): Candidate | null {
  let best: Cluster | null = null;
  let bestScore = -1;
  let bestWild = -1;
  let fit: Cluster | null = null;
  let fitLiterals = -1;
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
    if (fits && literal > fitLiterals) {
      fit = c;
      fitLiterals = literal;
    }
    const score = same;
    if (score > bestScore || (score === bestScore && wild > bestWild)) {
      best = c;
      bestScore = score;
      bestWild = wild;
    }
  }
  if (fit !== null) return { cluster: fit, exact: true };
  if (best !== null && n > 0 && bestScore / n >= threshold) return { cluster: best, exact: false };
  return null;
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
