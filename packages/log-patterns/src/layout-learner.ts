// The per-source learner around the stateless inference of layout.ts: collects a sample, learns a
// layout once MIN_LINES lines were seen, strips headers with it, and learns again when the source
// changes its format.
import { headerFields, inferLayout, messageStart, type HeaderFields } from './layout.js';

/** Lines needed before a layout is trusted. */
export const MIN_LINES = 32;
/** Lines kept to learn from. */
const SAMPLE = 64;
/** Characters of a sample line kept: enough for any header. */
const SAMPLE_CHARS = 200;
/** Lines between checks that the layout still fits the source. */
const WINDOW = 512;

/** Serialisable learner state (part of the miner snapshot). */
export interface LayoutState {
  /** Header field classes, one character each; '' = no header; null = not learned yet. */
  layout: string | null;
  /** Recent lines (their first characters) the layout is learned from. */
  sample: string[];
  /** Lines seen in the current window and how many of them did not fit the layout. */
  seen: number;
  misses: number;
}

/** Learns one source's header layout from its lines and strips headers consistently with it. */
export class LayoutLearner {
  private state: LayoutState;

  constructor(state?: LayoutState) {
    this.state = state ? { ...state, sample: [...state.sample] } : { layout: null, sample: [], seen: 0, misses: 0 };
  }

  /** The learned layout: null until enough lines were seen, '' when the source has no header. */
  get layout(): string | null {
    return this.state.layout;
  }

  /** Feeds lines without stripping them: a batch read ahead teaches the layout before mining. */
  prime(lines: readonly string[]): void {
    const s = this.state;
    if (s.layout !== null) return;
    for (let i = 0; i < lines.length && s.sample.length < SAMPLE; i++) s.sample.push((lines[i] ?? '').slice(0, SAMPLE_CHARS));
    if (s.sample.length >= MIN_LINES) s.layout = inferLayout(s.sample);
  }

  /** Offset where the message starts, learning from the line; -1 while no layout is known. */
  observe(line: string): number {
    const s = this.state;
    if (s.layout === null) {
      this.learnFrom(line);
      if (s.layout === null) return -1;
    }
    const start = s.layout === '' ? 0 : messageStart(line, s.layout);
    s.seen++;
    if (start === 0 && s.layout !== '') s.misses++;
    // Keep a rolling sample so a source that changes its format is learned again.
    if ((s.seen & 7) === 0) s.sample[(s.seen >>> 3) % SAMPLE] = line.slice(0, SAMPLE_CHARS);
    if (s.seen >= WINDOW) this.review();
    return start;
  }

  /** The message part of a line and the header fields it carried (no learning). */
  split(line: string): { message: string; fields: HeaderFields } {
    const layout = this.state.layout;
    const spans: number[] = [];
    const start = layout === null || layout === '' ? 0 : messageStart(line, layout, spans);
    if (start === 0) return { message: line, fields: {} };
    return { message: line.slice(start), fields: headerFields(line, layout ?? '', spans) };
  }

  /** A copy of the state for snapshots. */
  toJSON(): LayoutState {
    return { ...this.state, sample: [...this.state.sample] };
  }

  private learnFrom(line: string): void {
    const s = this.state;
    s.sample.push(line.slice(0, SAMPLE_CHARS));
    if (s.sample.length >= MIN_LINES) s.layout = inferLayout(s.sample);
  }

  // Every WINDOW lines: when many lines stopped fitting, learn again from the recent sample, and
  // switch only when the new layout fits that sample better: a flapping layout splits templates.
  private review(): void {
    const s = this.state;
    if (s.misses > WINDOW / 4 && s.sample.length >= MIN_LINES) {
      // Learn from the lines the current layout no longer fits: the sample mixes both formats.
      const fresh = s.sample.filter((l) => messageStart(l, s.layout ?? '', undefined, true) < 0);
      const next = inferLayout(fresh.length >= MIN_LINES / 2 ? fresh : s.sample);
      if (fitCount(s.sample, next) > fitCount(s.sample, s.layout ?? '')) s.layout = next;
    }
    s.seen = 0;
    s.misses = 0;
  }
}

function fitCount(sample: readonly string[], layout: string): number {
  let n = 0;
  for (const line of sample) if (messageStart(line, layout, undefined, true) >= 0) n++;
  return layout === '' ? n / 2 : n;
}

