/**
 * Internal: finding a JSON key such as `"usage"` in bytes. Buffer.indexOf finds the needle's
 * first byte with memchr and compares the rest at every hit; in JSON a quote comes every few
 * bytes, so a key that begins with one is checked thousands of times in a stream's first 8 KB,
 * many times slower than the same key without its quote. These search for the key without its
 * first byte and then check that byte, with the same results as Buffer's own.
 */
export class KeySearch {
  readonly key: Buffer;
  readonly length: number;
  private readonly first: number;
  private readonly rest: Buffer;

  constructor(key: string) {
    this.key = Buffer.from(key);
    if (this.key.length < 2) throw new Error('KeySearch needs a key of at least two bytes.');
    this.length = this.key.length;
    this.first = this.key[0]!;
    this.rest = this.key.subarray(1);
  }

  /** Where the key first starts at or after `from`, or -1 (as `bytes.indexOf(key, from)`). */
  indexOf(bytes: Buffer, from = 0): number {
    let at = bytes.indexOf(this.rest, Math.max(from, 0) + 1);
    while (at !== -1 && bytes[at - 1] !== this.first) at = bytes.indexOf(this.rest, at + 1);
    return at === -1 ? -1 : at - 1;
  }

  /** Where the key last starts at or before `from`, or -1 (as `bytes.lastIndexOf(key, from)`). */
  lastIndexOf(bytes: Buffer, from = bytes.length): number {
    if (from < 0) return -1;
    let at = bytes.lastIndexOf(this.rest, from + 1);
    while (at !== -1 && (at === 0 || bytes[at - 1] !== this.first))
      at = at <= 1 ? -1 : bytes.lastIndexOf(this.rest, at - 1);
    return at === -1 ? -1 : at - 1;
  }

  /** Whether the key is anywhere in `bytes`. */
  isIn(bytes: Buffer): boolean {
    return this.indexOf(bytes) !== -1;
  }
}
