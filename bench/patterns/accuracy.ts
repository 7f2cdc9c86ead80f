// Grouping accuracy as defined by the LogPAI benchmark (Zhu et al., ICSE-SEIP 2019): a line is
// correct when the set of lines in its predicted group equals the set in its true group.

/** Fraction of lines whose predicted group is exactly their ground-truth group. */
export function groupingAccuracy(predicted: readonly string[], truth: readonly string[]): number {
  if (predicted.length !== truth.length) throw new Error('length mismatch');
  const truthSize = new Map<string, number>();
  for (const t of truth) truthSize.set(t, (truthSize.get(t) ?? 0) + 1);
  const groups = new Map<string, { size: number; truth: Set<string> }>();
  predicted.forEach((p, i) => {
    let g = groups.get(p);
    if (g === undefined) {
      g = { size: 0, truth: new Set() };
      groups.set(p, g);
    }
    g.size++;
    g.truth.add(truth[i] ?? '');
  });
  let correct = 0;
  for (const g of groups.values()) {
    if (g.truth.size !== 1) continue;
    const [t] = [...g.truth];
    if (truthSize.get(t ?? '') === g.size) correct += g.size;
  }
  return correct / predicted.length;
}
