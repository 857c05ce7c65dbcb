/**
 * The keys of the last few changes, numbered: a reader that remembers the number it last saw
 * learns which keys changed since, and updates what it derived from them instead of recomputing
 * it all (selection over a 10,000-bucket chain, where each change is one bucket's).
 */
export class ChangeLog<Key> {
  private readonly keys: Key[] = [];
  private count = 0;

  constructor(private readonly capacity = 1_024) {}

  /** How many changes there have been: the number a reader remembers. */
  get version(): number {
    return this.count;
  }

  record(key: Key): void {
    this.keys[this.count % this.capacity] = key;
    this.count += 1;
  }

  /** The keys changed after `version`, oldest first; undefined when the log no longer reaches back that far. */
  since(version: number): Key[] | undefined {
    const missed = this.count - version;
    if (missed < 0 || missed > this.capacity) return undefined;
    const changed: Key[] = [];
    for (let number = version; number < this.count; number += 1) changed.push(this.keys[number % this.capacity]!);
    return changed;
  }
}
