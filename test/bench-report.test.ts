// A full bench run rewrites bench/RESULTS.md, and CI's lint (`biome check .`) formats Markdown
// too: a table the formatter would lay out differently fails CI. The report's own table must be
// exactly what the formatter prints.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: the bench is plain JavaScript without types.
import { formatRows } from '../bench/report.mjs';

describe('the bench report table', () => {
  it('is already in the formatter’s layout, with bars escaped and an empty gap', () => {
    const rows = [
      {
        figure: 'start-up: spawn to first /health answer',
        value: '302 ms',
        target: '<= 300 ms',
        met: false,
        gap: '2 ms over (1 %)',
      },
      { figure: 'failover | calls', value: '2 (f1 1 | f2 1)', target: '2', met: true, gap: '' },
      { figure: 'not measured here', value: '-', target: '>= 0.9', gap: '' },
    ];
    const table = `# Results\n\n${formatRows(rows)}\n`;
    const formatted = execFileSync('node_modules/.bin/biome', ['format', '--stdin-file-path=RESULTS.md'], {
      input: table,
    }).toString();
    expect(formatted).toBe(table);
    expect(table).toContain('failover \\| calls');
    expect(table).toContain('| not measured |');
  });
});
