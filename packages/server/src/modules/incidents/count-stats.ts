// Statistics of per-minute counts for the signal detector (pure).

/** Scales a median absolute deviation to a standard deviation (exact for normal counts). */
const MAD_TO_SD = 1.4826;

/** The sum of the counts. */
export const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

/** The median (the mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/**
 * The variance of a window's count (for spikes). Windows of a template that comes in bursts swing far more than
 * Poisson's sqrt(mean), and one burst spreads over adjacent minutes, so the spread of the
 * baseline's own sliding windows is measured beside that of its minutes times the window (the two
 * agree for independent lines); the larger is the noise a window must rise above.
 */
export function windowStats(base: readonly number[], mean: number, w: number): { variance: number; typical: number; typicalVariance: number } {
  const perMinute = sum(base.map((x) => (x - mean) ** 2)) / Math.max(1, base.length - 1);
  const sums: number[] = [];
  let run = sum(base.slice(0, w));
  for (let i = w; i <= base.length; i++) {
    sums.push(run);
    run += (base[i] ?? 0) - (base[i - w] ?? 0);
  }
  const m = sum(sums) / sums.length;
  const sliding = sums.length > 1 ? sum(sums.map((x) => (x - m) ** 2)) / (sums.length - 1) : 0;
  // A drop asks what a window normally holds. The median window and its median deviation are
  // untouched by an earlier outage or burst in the baseline (up to half of it), which mean and
  // variance are not: a second outage within the hour must not hide behind the first.
  const typical = median(sums);
  const mad = median(sums.map((x) => Math.abs(x - typical)));
  return { variance: Math.max(mean * w, perMinute * w, sliding), typical, typicalVariance: (MAD_TO_SD * mad) ** 2 };
}

