// Words that tell events apart versus words that are values. Drain merges two lines that differ in
// one word once enough other tokens agree, so `stored as bytes` and `stored as values`, or
// `Failed password` and `Failed none`, became one template. A word position that has taken only a
// few distinct words is more likely an event's own wording; one that keeps taking new words (user
// names, queue names) is a parameter. So a line that differs from its best template only by a
// word starts a variant of its own, and once `wordVariants` distinct words have been seen at that
// position the variants fold into one template with `<*>` there (option; 1 = Drain's behaviour,
// every differing word generalises at once). The variants are found among the
// clusters themselves, so a restored snapshot decides exactly as the original miner did.
import { WILDCARD } from './masks.js';
import type { Cluster, TreeNode } from './tree.js';

function hasLetter(t: string): boolean {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i) | 32;
    if (c >= 97 && c <= 122) return true;
  }
  return false;
}

/** A constant word: letters and no masked part. */
function isWord(t: string): boolean {
  return !t.includes(WILDCARD) && hasLetter(t);
}

/** A word with perhaps a masked part (`tty=<*>`): still names something, unlike a bare value. */
function isWordish(t: string): boolean {
  return t !== WILDCARD && hasLetter(t.replaceAll(WILDCARD, ''));
}

/** Positions where the template holds a word and the line another word. */
export function wordDiffs(template: readonly string[], tokens: readonly string[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < template.length; i++) {
    const a = template[i] ?? '';
    const b = tokens[i] ?? '';
    if (a !== b && isWord(a) && isWordish(b)) out.push(i);
  }
  return out;
}

/** Clusters that a line would fit but for positions `ps`, where they hold words of their own. */
export function variantsAt(leaves: readonly TreeNode[], tokens: readonly string[], ps: readonly number[]): Cluster[] {
  const out: Cluster[] = [];
  for (const leaf of leaves) {
    for (const c of leaf.clusters) {
      const t = c.tokens;
      if (t.length !== tokens.length || out.includes(c) || !ps.every((p) => isWordish(t[p] ?? ''))) continue;
      let ok = true;
      for (let i = 0; i < t.length && ok; i++) ok = ps.includes(i) || t[i] === tokens[i] || t[i] === WILDCARD;
      if (ok) out.push(c);
    }
  }
  return out;
}

/**
 * Whether a line that differs from template `best` by words should start a variant instead of
 * generalising it; `siblings` receives the variants to fold in when it should not.
 */
export function keepApart(
  best: Cluster, leaves: readonly TreeNode[], tokens: readonly string[], variants: number, siblings: Cluster[],
): boolean {
  if (variants <= 1) return false;
  const diffs = wordDiffs(best.tokens, tokens);
  if (diffs.length === 0) return false;
  // Two words that change together (`from NEW to RUNNING`) name a state or an action: another event.
  if (diffs.length > 1) return true;
  const key = (t: readonly string[]): string => diffs.map((p) => t[p] ?? '').join(' ');
  const found = variantsAt(leaves, tokens, diffs);
  const words = new Set(found.map((c) => key(c.tokens)));
  words.add(key(best.tokens));
  words.add(key(tokens));
  if (words.size < variants) return true;
  // By id: the order clusters were found in differs between a miner and its restored snapshot.
  for (const c of found.sort((a, b) => (a.id < b.id ? -1 : 1))) if (c !== best) siblings.push(c);
  return false;
}
