// Accuracy metrics of the log-parsing benchmarks. GA is the LogPAI grouping accuracy (Zhu et al.,
// ICSE-SEIP 2019); FGA and PA follow Loghub-2.0 (Jiang et al., ISSTA 2024): FGA is the F1 of
// group-level accuracy, PA the share of lines whose template text is exactly the ground truth.

interface Groups {
  /** Predicted group -> line indexes. */
  predicted: Map<string, number[]>;
  truthSize: Map<string, number>;
}

function index(predicted: readonly string[], truth: readonly string[]): Groups {
  if (predicted.length !== truth.length) throw new Error('length mismatch');
  const truthSize = new Map<string, number>();
  for (const t of truth) truthSize.set(t, (truthSize.get(t) ?? 0) + 1);
  const groups = new Map<string, number[]>();
  predicted.forEach((p, i) => {
    const g = groups.get(p);
    if (g === undefined) groups.set(p, [i]);
    else g.push(i);
  });
  return { predicted: groups, truthSize };
}

// A predicted group is correct when its lines are exactly the lines of one ground-truth group.
function correctGroups(g: Groups, truth: readonly string[]): { lines: number; groups: number } {
  let lines = 0;
  let groups = 0;
  for (const members of g.predicted.values()) {
    const t = truth[members[0] ?? 0] ?? '';
    if (members.some((i) => truth[i] !== t) || g.truthSize.get(t) !== members.length) continue;
    lines += members.length;
    groups++;
  }
  return { lines, groups };
}

/** Fraction of lines whose predicted group is exactly their ground-truth group. */
export function groupingAccuracy(predicted: readonly string[], truth: readonly string[]): number {
  const g = index(predicted, truth);
  return correctGroups(g, truth).lines / predicted.length;
}

/** F1 of group accuracy: precision over predicted groups, recall over ground-truth groups. */
export function fga(predicted: readonly string[], truth: readonly string[]): number {
  const g = index(predicted, truth);
  const ok = correctGroups(g, truth).groups;
  const precision = ok / g.predicted.size;
  const recall = ok / g.truthSize.size;
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

/**
 * A template with whitespace normalised and runs of `<*>` collapsed: a token made of `<*>` and
 * punctuation only (`/<*>:<*>`, `<*>,`) is one `<*>`, and adjacent `<*>` tokens are one. Parsers
 * differ in how they split a value from the punctuation around it; the event is the same.
 */
export function normaliseTemplate(t: string): string {
  let s = t
    .split(/\s+/)
    .filter((w) => w !== '')
    .map((w) => (w.includes('<*>') && !/[A-Za-z0-9]/.test(w.replaceAll('<*>', '')) ? '<*>' : w))
    .join(' ');
  for (let prev = ''; prev !== s; ) {
    prev = s;
    s = s.replace(/<\*>(?:\s*<\*>)+/g, '<*>');
  }
  return s;
}

/** Share of lines whose predicted template equals the ground-truth template after normalising. */
export function parsingAccuracy(predicted: readonly string[], truth: readonly string[]): number {
  if (predicted.length !== truth.length) throw new Error('length mismatch');
  const cache = new Map<string, string>();
  const norm = (t: string): string => {
    let n = cache.get(t);
    if (n === undefined) cache.set(t, (n = normaliseTemplate(t)));
    return n;
  };
  let ok = 0;
  predicted.forEach((p, i) => {
    if (norm(p) === norm(truth[i] ?? '')) ok++;
  });
  return ok / predicted.length;
}
