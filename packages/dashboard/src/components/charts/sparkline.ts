/** One sparkline's drawing: the line's points, the filled area under it and the last point. */
export interface SparkPath {
  line: string;
  area: string;
  last: { x: number; y: number } | null;
  max: number;
  total: number;
}

/**
 * Scales counts into a width × height box (y grows downwards), leaving `pad` pixels so the stroke
 * is not clipped. A flat series lies on the baseline: an idle template must not look busy.
 */
export function sparkPath(counts: readonly number[], width: number, height: number, pad = 2): SparkPath {
  const total = counts.reduce((a, b) => a + b, 0);
  const max = counts.reduce((a, b) => Math.max(a, b), 0);
  if (counts.length === 0) return { line: '', area: '', last: null, max: 0, total: 0 };
  const stepX = counts.length > 1 ? (width - 2 * pad) / (counts.length - 1) : 0;
  const base = height - pad;
  const pts = counts.map((c, i) => {
    const x = counts.length > 1 ? pad + i * stepX : width / 2;
    const y = max > 0 ? base - (c / max) * (height - 2 * pad) : base;
    return { x: round(x), y: round(y) };
  });
  const line = pts.map((p) => `${p.x},${p.y}`).join(' ');
  const first = pts[0] as { x: number; y: number };
  const last = pts[pts.length - 1] as { x: number; y: number };
  const area = `M${first.x},${base} L${line.replace(/ /g, ' L')} L${last.x},${base} Z`;
  return { line, area, last, max, total };
}

const round = (n: number): number => Math.round(n * 10) / 10;
