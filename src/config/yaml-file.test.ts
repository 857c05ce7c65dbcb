import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigFileError, maximumYamlBytes, parseYamlText, readYamlFile, validateYaml } from './yaml-file.js';

let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'switchyard-yaml-'));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function fileWith(text: string | Buffer): Promise<string> {
  const path = join(directory, 'file.yaml');
  await writeFile(path, text);
  return path;
}

async function failureOf(promise: Promise<unknown>): Promise<ConfigFileError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConfigFileError);
  return error as ConfigFileError;
}

describe('reading YAML files', () => {
  it('reads a missing file as null and a valid one as data', async () => {
    expect(await readYamlFile(join(directory, 'absent.yaml'))).toBeNull();
    const parsed = await readYamlFile(await fileWith('type: model\nbuckets: [a, b]\n'));
    expect(parsed?.value).toEqual({ type: 'model', buckets: ['a', 'b'] });
  });

  it('reports a syntax error with the path, line and column', async () => {
    const path = await fileWith('type: model\nprovider: "anthropic\n');
    const error = await failureOf(readYamlFile(path));
    expect(error.message).toBe(
      `${path}:3:1: invalid YAML: Missing closing "quote — check the ` +
        `indentation, quotes and brackets on that line and the one before`,
    );
    expect([error.line, error.column]).toEqual([3, 1]);
  });

  it('refuses a tab used as indentation where it is', async () => {
    const path = await fileWith('type: model\n\tprovider: x\n');
    expect((await failureOf(readYamlFile(path))).message).toMatch(
      new RegExp(`^${path}:2:1: invalid YAML: Tabs are not allowed as indentation`),
    );
  });

  it('refuses a key written twice', async () => {
    const path = await fileWith('type: model\nprovider: anthropic\ntype: loadbalancer\n');
    expect((await failureOf(readYamlFile(path))).message).toBe(
      `${path}:3:1: the key "type" appears twice in one mapping — keep one of them`,
    );
  });

  it('refuses more than one document', async () => {
    const path = await fileWith('type: model\n---\ntype: loadbalancer\n');
    expect((await failureOf(readYamlFile(path))).message).toBe(
      `${path}:2:1: more than one YAML document (a \`---\` line starts a second one) — keep one document per file`,
    );
  });

  it('refuses an alias bomb but accepts a few aliases', async () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 9; level += 1) {
      const previous = String.fromCharCode(96 + level);
      levels.push(
        `${String.fromCharCode(97 + level)}: &${String.fromCharCode(97 + level)} ` +
          `[${Array(9).fill(`*${previous}`).join(', ')}]`,
      );
    }
    const path = await fileWith(`${levels.join('\n')}\n`);
    const error = await failureOf(readYamlFile(path));
    expect(error.message).toMatch(
      new RegExp(`^${path}: too many aliases \\(.*\\) — use \`\\*alias\` only a few times, or write the values out$`),
    );
    expect(error.line).toBeUndefined();
    const fine = await readYamlFile(await fileWith('shared: &name work1@company.com\nbuckets: [*name, *name]\n'));
    expect(fine?.value).toEqual({ shared: 'work1@company.com', buckets: ['work1@company.com', 'work1@company.com'] });
  });

  it('refuses a file over 256 KiB without parsing it', async () => {
    const path = await fileWith(`type: model\n# ${'x'.repeat(maximumYamlBytes)}\n`);
    const error = await failureOf(readYamlFile(path));
    expect(error.message).toBe(
      `${path}: the file is ${maximumYamlBytes + 15} bytes, over the limit of ` +
        `262144 — profiles and config.yaml are a few lines; check that this is ` +
        `the right file`,
    );
    expect(() => parseYamlText('inline.yaml', 'x'.repeat(maximumYamlBytes + 1))).toThrow(
      /^inline\.yaml: the file is 262145 bytes, over the limit of 262144/,
    );
  });

  it('refuses a folder where a file is expected', async () => {
    const path = join(directory, 'folder.yaml');
    await mkdir(path);
    expect((await failureOf(readYamlFile(path))).message).toBe(
      `${path}: not a regular file — point switchyard at a YAML file`,
    );
  });
});

describe('validating YAML files', () => {
  const schema = z
    .object({
      name: z.string(),
      buckets: z.array(z.string().regex(/^[a-z]+$/, { error: 'lower-case letters only' })).min(1),
      limits: z.object({ maxConcurrent: z.number().int().positive().optional() }).strict().optional(),
      policy: z.enum(['failover', 'roundrobin']).optional(),
    })
    .strict();
  const hint = () => 'a hint';

  function validate(text: string): unknown {
    return validateYaml(parseYamlText('test.yaml', text), schema, { hint });
  }

  function messageOf(text: string): string {
    try {
      validate(text);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigFileError);
      return (error as Error).message;
    }
    throw new Error('expected a ConfigFileError');
  }

  it('returns the data when it is valid', () => {
    expect(validate('name: x\nbuckets: [a]\n')).toEqual({ name: 'x', buckets: ['a'] });
  });

  it('reports the line of the failing list item, its field path and the hint', () => {
    const text = 'name: x\nbuckets:\n  - good\n  - BAD\n';
    expect(messageOf(text)).toBe('test.yaml:4: buckets[1]: lower-case letters only — a hint');
    try {
      validate(text);
    } catch (error) {
      expect(error).toMatchObject({
        path: 'test.yaml',
        line: 4,
        field: 'buckets[1]',
        problem: 'lower-case letters only',
        hint: 'a hint',
      });
    }
  });

  it('reports nested fields, wrong types and values in YAML words', () => {
    expect(messageOf('name: x\nbuckets: [a]\nlimits:\n  maxConcurrent: 0\n')).toBe(
      'test.yaml:4: limits.maxConcurrent: must be greater than 0, got 0 — a hint',
    );
    expect(messageOf('name: x\nbuckets: a\n')).toBe('test.yaml:2: buckets: expected a list, got "a" — a hint');
    expect(messageOf('name: x\nbuckets: [a]\npolicy: random\n')).toBe(
      'test.yaml:3: policy: "random" is not one of failover, roundrobin — a hint',
    );
    expect(messageOf('name: x\nbuckets: [a]\npolicy:\n')).toBe(
      'test.yaml:3: policy: empty (expected one of failover, roundrobin) — a hint',
    );
    expect(messageOf('name: x\nbuckets: [a]\nlimits:\n  maxConcurrent: 1.5\n')).toBe(
      'test.yaml:4: limits.maxConcurrent: expected a whole number, got 1.5 — a hint',
    );
  });

  it('reports a missing field at the nearest existing parent', () => {
    expect(messageOf('# a comment first\nname: x\n')).toBe('test.yaml:2: buckets: missing (expected a list) — a hint');
  });

  it('reports each unknown key at its own line with the keys allowed there', () => {
    expect(messageOf('name: x\nbuckets: [a]\nbukets: [b]\nlimits:\n  maxConcurent: 2\n')).toBe(
      [
        'test.yaml:3: bukets: unknown key "bukets" — allowed keys here: name, buckets, limits, policy',
        'test.yaml:5: limits.maxConcurent: unknown key "maxConcurent" — allowed keys here: maxConcurrent',
      ].join('\n'),
    );
  });

  it('lists every problem in line order, and counts the rest past ten', () => {
    const items = Array.from({ length: 12 }, (_, index) => `  - BAD${index}`).join('\n');
    const message = messageOf(`name: 7\nbuckets:\n${items}\n`);
    const lines = message.split('\n');
    expect(lines[0]).toBe('test.yaml:1: name: expected text, got 7 — a hint');
    expect(lines[1]).toBe('test.yaml:3: buckets[0]: lower-case letters only — a hint');
    expect(lines).toHaveLength(11);
    expect(lines[10]).toBe('... and 3 more problems in test.yaml');
  });
});
