import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeySearch } from './key-search.js';

describe('KeySearch', () => {
  it('finds a quoted key where Buffer.indexOf and lastIndexOf do, from any position', () => {
    const piece = fc.constantFrom('"', 'u', 'usage', '"usage"', 'usage"', '""usage""', ':', '{', 'x', '\n\n', 'é');
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 30 }),
        fc.constantFrom('"usage"', '"usageMetadata"', 'ab'),
        fc.integer({ min: -3, max: 200 }),
        (pieces, key, from) => {
          const bytes = Buffer.from(pieces.join(''));
          const search = new KeySearch(key);
          const needle = Buffer.from(key);
          expect(search.indexOf(bytes)).toBe(bytes.indexOf(needle));
          expect(search.lastIndexOf(bytes)).toBe(bytes.lastIndexOf(needle));
          if (from >= 0) {
            expect(search.indexOf(bytes, from)).toBe(bytes.indexOf(needle, from));
            expect(search.lastIndexOf(bytes, from)).toBe(bytes.lastIndexOf(needle, from));
          }
          expect(search.isIn(bytes)).toBe(bytes.includes(needle));
        },
      ),
      { numRuns: 3_000 },
    );
  });

  it('refuses a one-byte key, which it cannot split', () => {
    expect(() => new KeySearch('"')).toThrow('KeySearch needs a key of at least two bytes.');
  });
});
