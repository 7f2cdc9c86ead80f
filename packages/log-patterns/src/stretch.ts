// Lines whose length differs from their template's. Drain keys its tree on the token count, so a
// value written as several tokens (a size or duration in parts, a thread name with
// spaces, `12 Mar 2024`) would start a template per length. Before a line that matched nothing
// creates a template, templates a few tokens shorter or longer that share its first token are
// tried: the line joins one when each `<*>` of the template stands for one token, or for a run of
// masked values, and every other token is equal.
import { WILDCARD } from './masks.js';
import type { Cluster, ParseTree, TreeNode } from './tree.js';

/** How many tokens a line may differ in length from the template it stretches to. */
const REACH = 3;

/** Whether `template` covers `tokens` with each `<*>` standing for one token or more. */
export function stretchFits(template: readonly string[], tokens: readonly string[]): boolean {
  const m = template.length;
  const n = tokens.length;
  // ok[j]: template[0, i) covers tokens[0, j); rolled over i.
  let ok = new Uint8Array(n + 1);
  ok[0] = 1;
  for (let i = 0; i < m; i++) {
    const t = template[i];
    const next = new Uint8Array(n + 1);
    if (t === WILDCARD) {
      // The first token is any; further ones only values (`<*>`): a `<*>` that swallowed words
      // would merge events that differ by an optional word (`... rhost=<*> user=<*>`).
      let reach = 0;
      for (let j = 1; j <= n; j++) {
        if (ok[j - 1]) reach = 1;
        else if (tokens[j - 1] !== WILDCARD) reach = 0;
        if (reach) next[j] = 1;
      }
    } else {
      for (let j = 1; j <= n; j++) if (ok[j - 1] && tokens[j - 1] === t) next[j] = 1;
    }
    ok = next;
  }
  return ok[n] === 1;
}

/** The most specific template of another length the line stretches to, or null. */
export function stretchMatch(tree: ParseTree, tokens: readonly string[], scratch: TreeNode[]): Cluster | null {
  let best: Cluster | null = null;
  let bestLiterals = -1;
  for (let d = 1; d <= REACH; d++) {
    for (const length of [tokens.length - d, tokens.length + d]) {
      if (length < 2) continue;
      scratch.length = 0;
      tree.sameStart(tokens, length, scratch);
      for (const leaf of scratch) {
        for (const c of leaf.clusters) {
          if (c.slots.length === 0 || !stretchFits(c.tokens, tokens)) continue;
          const literals = c.tokens.length - c.slots.length;
          if (literals > bestLiterals) [best, bestLiterals] = [c, literals];
        }
      }
    }
    if (best !== null) return best;
  }
  return null;
}
