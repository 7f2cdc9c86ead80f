// Least-recently-used order of clusters as an intrusive doubly linked list: touching a cluster on
// every line must not cost a hash-map delete and re-insert.
import type { Cluster } from './tree.js';

export class LruList {
  oldest: Cluster | null = null;
  newest: Cluster | null = null;

  /** Appends a cluster that is not in the list yet as the most recent. */
  push(c: Cluster): void {
    c.older = this.newest;
    c.newer = null;
    if (this.newest !== null) this.newest.newer = c;
    else this.oldest = c;
    this.newest = c;
  }

  /** Removes a cluster from the list. */
  unlink(c: Cluster): void {
    if (c.older !== null) c.older.newer = c.newer;
    else this.oldest = c.newer;
    if (c.newer !== null) c.newer.older = c.older;
    else this.newest = c.older;
    c.older = null;
    c.newer = null;
  }

  /** Marks a cluster as just used. */
  touch(c: Cluster): void {
    if (this.newest === c) return;
    this.unlink(c);
    this.push(c);
  }

  /** Clusters from least to most recently used. */
  *values(): IterableIterator<Cluster> {
    for (let c = this.oldest; c !== null; c = c.newer) yield c;
  }
}
