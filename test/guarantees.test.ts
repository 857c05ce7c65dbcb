import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * README's Guarantees table names, for every promise, the tests that prove it. This keeps the
 * table honest: each named file exists and holds a test of that exact title (the suite runs it).
 */

const root = fileURLToPath(new URL('..', import.meta.url));

/** The rows of the table under `## Guarantees`: the promise and its `file` › "title" references. */
function guaranteesOf(readme: string): { promise: string; proofs: { file: string; title: string }[] }[] {
  const start = readme.indexOf('\n## Guarantees\n');
  if (start === -1) return [];
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end === -1 ? undefined : end);
  return section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| ---') && !line.startsWith('| promise'))
    .map((line) => {
      const [promise = '', proofs = ''] = line.slice(2, -2).split(' | ');
      return {
        promise,
        proofs: [...proofs.matchAll(/`([^`]+)` › "([^"]+)"/g)].map((match) => ({ file: match[1]!, title: match[2]! })),
      };
    });
}

/** How a title appears in a test file: as written, or with its apostrophes escaped inside single quotes. */
function holdsTitle(source: string, title: string): boolean {
  return source.includes(title) || source.includes(title.replaceAll("'", "\\'"));
}

describe("README's Guarantees", () => {
  const readme = readFileSync(`${root}README.md`, 'utf8');
  const rows = guaranteesOf(readme);

  it('lists promises, each with at least one proving test', () => {
    expect(rows.length).toBeGreaterThanOrEqual(8);
    expect(rows.filter((row) => row.proofs.length === 0).map((row) => row.promise)).toEqual([]);
  });

  it('names only tests that exist, in files that exist', () => {
    const missing: string[] = [];
    for (const { proofs } of rows) {
      for (const { file, title } of proofs) {
        const path = `${root}${file}`;
        if (!existsSync(path)) missing.push(`${file} (no such file)`);
        else if (!holdsTitle(readFileSync(path, 'utf8'), title)) missing.push(`${file} › "${title}"`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('sees through a table that names a test nobody wrote', () => {
    const rowsOfFake = guaranteesOf(
      '# x\n\n## Guarantees\n\n| promise | proved by |\n| --- | --- |\n| ' +
        'nothing | `test/guarantees.test.ts` › "a title no test has" |\n\n## Next\n',
    );
    expect(rowsOfFake).toEqual([
      { promise: 'nothing', proofs: [{ file: 'test/guarantees.test.ts', title: 'a title no test has' }] },
    ]);
    expect(
      holdsTitle(
        readFileSync(`${root}test/guarantees.test.ts`, 'utf8').replace(/a title no test has/g, ''),
        'a title no test has',
      ),
    ).toBe(false);
  });
});
