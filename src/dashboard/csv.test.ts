import { describe, expect, it } from 'vitest';
import { toCsv } from './csv.js';

describe('CSV export', () => {
  it('quotes commas, quotes and line breaks, and defuses cells a spreadsheet would run as formulas', () => {
    expect(
      toCsv(
        ['name', 'count', 'trail'],
        [
          ['=HYPERLINK("http://x")', 3, ['a:429', 'b:200']],
          ['plain, with comma', null, 'line\nbreak'],
          ['-1', -1, '@sum'],
        ],
      ),
    ).toBe(
      'name,count,trail\r\n' +
        '"\'=HYPERLINK(""http://x"")",3,a:429 b:200\r\n' +
        '"plain, with comma",,"line\nbreak"\r\n' +
        "'-1,-1,'@sum\r\n",
    );
  });
});
