// Follows the miner's change reports so each line ends up attributed to its cluster's final
// template, the way a caller re-points stored lines: ids change when a template generalises.
import type { AddResult } from '../../packages/log-patterns/src/index.js';

export class Assignments {
  private readonly parent: number[] = [];
  private readonly current = new Map<string, number>();
  private readonly lineGroup: number[] = [];

  private find(x: number): number {
    let r = x;
    while (this.parent[r] !== r) r = this.parent[r] ?? r;
    // Path halving is unnecessary at benchmark sizes; compress once at the end instead.
    return r;
  }

  private union(a: number, b: number): number {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[rb] = ra;
    return ra;
  }

  private fresh(): number {
    this.parent.push(this.parent.length);
    return this.parent.length - 1;
  }

  /** Records one add() result for the next line. */
  record(res: AddResult): void {
    let g = this.current.get(res.templateId);
    if (res.changeType === 'created' || g === undefined) {
      g = res.changeType === 'created' || res.previous === undefined ? this.fresh() : this.current.get(res.previous.templateId) ?? this.fresh();
    }
    if (res.previous !== undefined) {
      const old = this.current.get(res.previous.templateId);
      if (old !== undefined) g = this.union(g, old);
      this.current.delete(res.previous.templateId);
    }
    for (const id of res.mergedIds ?? []) {
      const m = this.current.get(id);
      if (m !== undefined) g = this.union(g, m);
      this.current.delete(id);
    }
    for (const id of res.evictedIds ?? []) this.current.delete(id);
    this.current.set(res.templateId, g);
    this.lineGroup.push(g);
  }

  /** Final template id per recorded line (the id its group holds now). */
  finalIds(): string[] {
    const idOf = new Map<number, string>();
    for (const [id, g] of this.current) idOf.set(this.find(g), id);
    return this.lineGroup.map((g) => idOf.get(this.find(g)) ?? "");
  }

  /** Final group per recorded line. */
  groups(): string[] {
    return this.lineGroup.map((g) => String(this.find(g)));
  }

  /** Number of distinct final groups. */
  count(): number {
    return new Set(this.lineGroup.map((g) => this.find(g))).size;
  }
}
