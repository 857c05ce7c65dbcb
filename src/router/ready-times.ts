/**
 * For each position of a chain, the time from which its bucket may be taken, in a min-tree: the
 * first position from `from` on that may be taken at `now` is found in log(n) steps, and one
 * bucket's change costs log(n). A 10,000-bucket chain with 9,999 buckets needing login, their
 * re-checks spread over the minute, is then walked without rescanning the chain at every re-check.
 */
export class ReadyTimes {
  /**
   * Leaves from `leaves` on, one per position (Infinity past the chain's end); each inner node the
   * minimum of its two.
   */
  private readonly tree: Float64Array;
  private readonly leaves: number;

  constructor(readonly length: number) {
    let leaves = 1;
    while (leaves < length) leaves *= 2;
    this.leaves = leaves;
    this.tree = new Float64Array(2 * leaves).fill(Number.POSITIVE_INFINITY);
  }

  set(position: number, from: number): void {
    let node = this.leaves + position;
    this.tree[node] = from;
    for (node >>= 1; node >= 1; node >>= 1) {
      this.tree[node] = Math.min(this.tree[2 * node]!, this.tree[2 * node + 1]!);
    }
  }

  /** The first position from `start` on whose bucket may be taken at `now`; `length` when there is none. */
  firstReady(start: number, now: number): number {
    if (start >= this.length) return this.length;
    const tree = this.tree;
    let node = this.leaves + start;
    if (tree[node]! <= now) return start;
    // Up until a right sibling holds a ready position, then down to its leftmost ready leaf.
    for (;;) {
      if (node === 1) return this.length;
      if ((node & 1) === 0 && tree[node + 1]! <= now) {
        node += 1;
        break;
      }
      node >>= 1;
    }
    while (node < this.leaves) node = tree[2 * node]! <= now ? 2 * node : 2 * node + 1;
    return node - this.leaves;
  }
}
