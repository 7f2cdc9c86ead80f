/**
 * Where the engine stands in analysis_results.seq. Sequence numbers become visible out of order (a
 * transaction that took seq 10 may commit after the one that took 11) and some never appear (an
 * upsert that hit a conflict still used one). Passing a gap at once would skip a late commit for
 * ever; waiting on it for ever would stall alerting. So a gap is waited on for `gapWaitMs`, and
 * every gap seen at that moment (up to `horizonSeq`) is then taken as permanent.
 */
export interface CursorState {
  /** Every result with seq <= cursor has been evaluated. */
  cursor: number;
  /** Highest seq read when a gap was first seen, and when (epoch ms). */
  horizonSeq: number | null;
  horizonAt: number | null;
}

/** Takes the leading results (ascending seqs) that may be evaluated now; returns how many and the new state. */
export function advanceCursor(state: CursorState, seqs: number[], now: number, gapWaitMs: number): { take: number; next: CursorState } {
  const settled = state.horizonSeq !== null && state.horizonAt !== null && now >= state.horizonAt + gapWaitMs;
  const permanent = settled ? state.horizonSeq! : -1;
  let cursor = state.cursor;
  let take = 0;
  for (const seq of seqs) {
    // Every row at or below a settled horizon was read before this one: the rest of it is missing for good.
    if (seq !== cursor + 1 && seq - 1 > permanent && cursor < permanent) cursor = permanent;
    if (seq !== cursor + 1 && seq - 1 > permanent) break;
    cursor = seq;
    take++;
  }
  let horizonSeq = state.horizonSeq;
  let horizonAt = state.horizonAt;
  if (settled && cursor >= permanent) {
    horizonSeq = null;
    horizonAt = null;
  }
  if (take < seqs.length && horizonSeq === null) {
    horizonSeq = seqs[seqs.length - 1]!;
    horizonAt = now;
  }
  return { take, next: { cursor, horizonSeq, horizonAt } };
}
