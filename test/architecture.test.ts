import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Dependencies between the top-level folders of src/ run one way. README's Architecture section
 * draws the same order; this test keeps the drawing true. Tests and `testing/` helpers are left
 * out: they may reach across layers to set a scene, and nothing the product runs imports them.
 */

const sourceRoot = fileURLToPath(new URL('../src', import.meta.url));

/** One import between two top-level folders, with the files that make it (for the failure message). */
interface FolderImport {
  from: string;
  to: string;
  file: string;
  imported: string;
}

function productFiles(directory: string, withTestHelpers = false): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      if (withTestHelpers || entry.name !== 'testing') files.push(...productFiles(path, withTestHelpers));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')) {
      files.push(path);
    }
  }
  return files;
}

function topFolderOf(path: string): string {
  return relative(sourceRoot, path).split(sep)[0] ?? '';
}

/** Every relative import (static, type-only, re-export or dynamic) that crosses a top-level folder. */
function folderImports(): FolderImport[] {
  const found: FolderImport[] = [];
  for (const file of productFiles(sourceRoot)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = normalize(join(dirname(file), fileName));
      const from = topFolderOf(file);
      const to = topFolderOf(target);
      if (from !== to) found.push({ from, to, file: relative(sourceRoot, file), imported: fileName });
    }
  }
  return found;
}

/** The folder cycles of a graph (Tarjan's strongly connected components of more than one folder). */
function cyclesOf(edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const lowest = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    lowest.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        lowest.set(node, Math.min(lowest.get(node) ?? 0, lowest.get(next) ?? 0));
      } else if (onStack.has(next)) {
        lowest.set(node, Math.min(lowest.get(node) ?? 0, index.get(next) ?? 0));
      }
    }
    if (lowest.get(node) !== index.get(node)) return;
    const component: string[] = [];
    for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
      onStack.delete(member);
      component.push(member);
      if (member === node) break;
    }
    if (component.length > 1) components.push(component.sort());
  };
  for (const node of edges.keys()) if (!index.has(node)) visit(node);
  return components;
}

function graphOf(imports: readonly FolderImport[]): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const { from, to } of imports) {
    if (!edges.has(from)) edges.set(from, new Set());
    if (!edges.has(to)) edges.set(to, new Set());
    edges.get(from)?.add(to);
  }
  return edges;
}

/** The request's path through the layers, top first: each may import only those after it. */
const requestPath = ['server', 'router', 'providers', 'core'] as const;
/** Wire formats sit beside providers: both are below the router and above core. */
const besideProviders = 'formats';

describe('the folders of src/', () => {
  const imports = folderImports();

  it('import each other in no cycle', () => {
    const cycles = cyclesOf(graphOf(imports)).map((cycle) => {
      // One example file per folder arrow inside the cycle: enough to find it, short enough to read.
      const arrows = new Map<string, string>();
      for (const { from, to, file, imported } of imports) {
        const arrow = `${from} -> ${to}`;
        if (cycle.includes(from) && cycle.includes(to) && !arrows.has(arrow))
          arrows.set(arrow, `${file} imports ${imported}`);
      }
      return `${cycle.join(', ')}: ${[...arrows].map(([arrow, example]) => `${arrow} (${example})`).join('; ')}`;
    });
    expect(cycles).toEqual([]);
  });

  it('run one way along a request: server -> router -> providers and formats -> core', () => {
    const rank = (folder: string): number | undefined =>
      folder === besideProviders
        ? requestPath.indexOf('providers')
        : (requestPath as readonly string[]).indexOf(folder);
    const upward = imports
      .filter(({ from, to }) => {
        const fromRank = rank(from);
        const toRank = rank(to);
        return fromRank !== undefined && fromRank >= 0 && toRank !== undefined && toRank >= 0 && toRank < fromRank;
      })
      .map(({ file, imported }) => `${file} imports ${imported}`);
    expect(upward).toEqual([]);
  });

  it('sees a cycle when there is one', () => {
    const edges = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['a'])],
    ]);
    expect(cyclesOf(edges)).toEqual([['a', 'b', 'c']]);
    expect(
      cyclesOf(
        new Map([
          ['a', new Set(['b'])],
          ['b', new Set<string>()],
        ]),
      ),
    ).toEqual([]);
  });
});

/** The code a newcomer reads: src/ without its test files (`testing/` helpers included), and the scripts around it. */
function readableSources(): string[] {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const scripts = ['bench', 'scripts', 'bin'].flatMap((folder) =>
    readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
      // Not what bench installs for itself (bench/.portkey) or writes (bench/.results).
      .filter((name) => /\.(mjs|js|ts)$/.test(name) && !name.split(sep).some((part) => part.startsWith('.')))
      .map((name) => join(root, folder, name)),
  );
  return [...productFiles(sourceRoot, true), ...scripts];
}

describe('the source', () => {
  it('has no line over 120 characters (tests may quote longer titles and recorded bytes)', () => {
    const long: string[] = [];
    for (const file of readableSources()) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, index) => {
          if (line.length > 120) long.push(`${relative(sourceRoot, file)}:${index + 1} (${line.length})`);
        });
    }
    expect(long).toEqual([]);
  });
});
