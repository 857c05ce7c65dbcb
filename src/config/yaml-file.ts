import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { type Document, isMap, isScalar, LineCounter, parseDocument, type YAMLError } from 'yaml';
import { z } from 'zod';

/** Profiles and config.yaml are small; anything larger is a mistake or an attack. */
export const maximumYamlBytes = 256 * 1024;
/**
 * Aliases are legitimate in hand-written YAML, but a handful suffices; yaml counts uses times
 * the aliases inside each anchor, so an exponential "billion laughs" document trips this early.
 */
export const maximumAliasCount = 50;
/** A message with hundreds of lines helps nobody; the rest are counted. */
const maximumReportedProblems = 10;

/** One thing wrong in a YAML file, and where. */
export interface ConfigProblem {
  /** 1-based; undefined when the problem is the file as a whole. */
  line: number | undefined;
  /** 1-based; only for YAML syntax errors. */
  column?: number;
  /** The field path, e.g. `buckets[1]` or `limits.maxConcurrent`. */
  field: string | undefined;
  problem: string;
  hint: string | undefined;
}

/** A YAML file refused with where and why, and how to fix it; `line`, `field` and `hint` are the first problem's. */
export class ConfigFileError extends Error {
  override readonly name = 'ConfigFileError';
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly field: string | undefined;
  readonly problem: string;
  readonly hint: string | undefined;
  readonly problems: readonly ConfigProblem[];

  constructor(
    readonly path: string,
    problems: readonly [ConfigProblem, ...ConfigProblem[]],
    options?: { cause?: unknown },
  ) {
    const shown = problems.slice(0, maximumReportedProblems).map((problem) => formatProblem(path, problem));
    if (problems.length > maximumReportedProblems)
      shown.push(`... and ${problems.length - maximumReportedProblems} more problems in ${path}`);
    super(shown.join('\n'), options);
    const [first] = problems;
    this.line = first.line;
    this.column = first.column;
    this.field = first.field;
    this.problem = first.problem;
    this.hint = first.hint;
    this.problems = problems;
  }
}

/** `path:line[:column]: field: problem — hint`, the shape editors and terminals recognise. */
function formatProblem(path: string, { line, column, field, problem, hint }: ConfigProblem): string {
  const where = line === undefined ? path : column === undefined ? `${path}:${line}` : `${path}:${line}:${column}`;
  return `${where}: ${field ? `${field}: ` : ''}${problem}${hint ? ` — ${hint}` : ''}`;
}

/** A problem with the file as a whole (size, type, aliases). */
function fileError(path: string, problem: string, hint: string | undefined, cause?: unknown): ConfigFileError {
  return new ConfigFileError(
    path,
    [{ line: undefined, field: undefined, problem, hint }],
    cause === undefined ? undefined : { cause },
  );
}

export interface ParsedYaml {
  path: string;
  document: Document;
  lineCounter: LineCounter;
  /** The document as plain data (aliases expanded, within the limit). */
  value: unknown;
}

/** Reads and parses one YAML document safely; a missing file reads as null. */
export async function readYamlFile(path: string): Promise<ParsedYaml | null> {
  const text = await readBoundedText(path);
  return text === null ? null : parseYamlText(path, text);
}

/**
 * Reads at most the size limit (plus one byte to notice more), so a huge or growing file, a
 * FIFO or a device never fills memory or blocks; missing reads as null.
 */
async function readBoundedText(path: string): Promise<string | null> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw fileError(path, 'not a regular file', 'point switchyard at a YAML file');
    if (info.size > maximumYamlBytes) throw tooLarge(path, info.size);
    const buffer = Buffer.alloc(maximumYamlBytes + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maximumYamlBytes) throw tooLarge(path, length);
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    await handle.close();
  }
}

function tooLarge(path: string, bytes: number): ConfigFileError {
  return fileError(
    path,
    `the file is ${bytes} bytes, over the limit of ${maximumYamlBytes}`,
    'profiles and config.yaml are a few lines; check that this is the right file',
  );
}

/** Parses YAML text as exactly one document, refusing syntax errors, duplicate keys and alias bombs. */
export function parseYamlText(path: string, text: string): ParsedYaml {
  const bytes = Buffer.byteLength(text);
  if (bytes > maximumYamlBytes) throw tooLarge(path, bytes);
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const [firstError] = document.errors;
  if (firstError) throw syntaxError(path, text, firstError, lineCounter);
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: maximumAliasCount });
  } catch (error) {
    throw fileError(
      path,
      `too many aliases (${error instanceof Error ? error.message : String(error)})`,
      'use `*alias` only a few times, or write the values out',
      error,
    );
  }
  return { path, document, lineCounter, value };
}

function syntaxError(path: string, text: string, error: YAMLError, lineCounter: LineCounter): ConfigFileError {
  const position = lineCounter.linePos(error.pos[0]);
  const message = error.message.split('\n')[0] ?? error.code;
  const [problem, hint] =
    error.code === 'MULTIPLE_DOCS'
      ? ['more than one YAML document (a `---` line starts a second one)', 'keep one document per file']
      : error.code === 'DUPLICATE_KEY'
        ? [
            `the key ${JSON.stringify(/^[^:\n]*/.exec(text.slice(error.pos[0]))?.[0]?.trim() ?? '')} ` +
              `appears twice in one mapping`,
            'keep one of them',
          ]
        : [`invalid YAML: ${message}`, 'check the indentation, quotes and brackets on that line and the one before'];
  return new ConfigFileError(path, [{ line: position.line, column: position.col, field: undefined, problem, hint }], {
    cause: error,
  });
}

/** The 1-based line of a path in the document, or of its nearest existing parent. */
export function lineOf(parsed: ParsedYaml, path: readonly PropertyKey[]): number | undefined {
  for (let length = path.length; length >= 0; length -= 1) {
    const node =
      length === 0 ? parsed.document.contents : parsed.document.getIn(path.slice(0, length) as unknown[], true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) return parsed.lineCounter.linePos(range[0]).line;
  }
  return undefined;
}

/** The line of a key itself (for unknown keys, whose value may sit on later lines or be empty). */
function lineOfKey(parsed: ParsedYaml, parentPath: readonly PropertyKey[], key: string): number | undefined {
  const parent =
    parentPath.length === 0 ? parsed.document.contents : parsed.document.getIn(parentPath as unknown[], true);
  if (isMap(parent)) {
    const pair = parent.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
    const range = pair && isScalar(pair.key) ? pair.key.range : undefined;
    if (range) return parsed.lineCounter.linePos(range[0]).line;
  }
  return lineOf(parsed, [...parentPath, key]);
}

/** `buckets[1]`, `limits.maxConcurrent`. */
export function fieldName(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (name, part) => (typeof part === 'number' ? `${name}[${part}]` : name ? `${name}.${String(part)}` : String(part)),
    '',
  );
}

/** What a hint function is told about a failing field. */
export interface FieldIssue {
  path: readonly PropertyKey[];
  field: string;
  code: string;
}

export interface ValidateOptions {
  /** A hint for a failing field; unknown keys always get the list of allowed keys instead. */
  hint?: (issue: FieldIssue) => string | undefined;
  /**
   * Where a path of the validated value sits in the document, when the value was normalised
   * before validation (e.g. `providers.anthropic` written as `providers.claude`).
   */
  documentPath?: (path: readonly PropertyKey[]) => readonly PropertyKey[];
}

/**
 * Validates a parsed document against a schema; every problem is reported with its line, field,
 * what was wrong and a hint.
 */
export function validateYaml<T>(parsed: ParsedYaml, schema: z.ZodType<T>, options: ValidateOptions = {}): T {
  const { hint = () => undefined, documentPath = (path) => path } = options;
  const allowedKeys = new Map<string, string[]>();
  const result = schema.safeParse(parsed.value, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys' && issue.inst instanceof z.ZodObject) {
        allowedKeys.set(fieldName(issue.path ?? []), Object.keys(issue.inst.shape));
      }
      return describeIssue(issue);
    },
  });
  if (result.success) return result.data;
  const problems: ConfigProblem[] = [];
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeys.get(fieldName(issue.path));
      const parentPath = documentPath(issue.path);
      for (const key of issue.keys) {
        const field = fieldName([...parentPath, key]);
        problems.push({
          line: lineOfKey(parsed, parentPath, key),
          field,
          problem: `unknown key "${key}"`,
          hint: allowed
            ? `allowed keys here: ${allowed.join(', ')}`
            : hint({ path: [...issue.path, key], field, code: issue.code }),
        });
      }
      continue;
    }
    const path = documentPath(issue.path);
    const field = fieldName(path);
    problems.push({
      line: lineOf(parsed, path),
      field: field || undefined,
      problem: issue.message,
      hint: hint({ path: issue.path, field, code: issue.code }),
    });
  }
  throw new ConfigFileError(parsed.path, sortedByLine(problems));
}

function sortedByLine(problems: ConfigProblem[]): [ConfigProblem, ...ConfigProblem[]] {
  const sorted = [...problems].sort(
    (left, right) => (left.line ?? Number.MAX_SAFE_INTEGER) - (right.line ?? Number.MAX_SAFE_INTEGER),
  );
  const [first, ...rest] = sorted;
  // zod reports at least one issue on failure; the fallback keeps the type honest.
  return [first ?? { line: undefined, field: undefined, problem: 'invalid', hint: undefined }, ...rest];
}

const typeNames: Record<string, string> = {
  array: 'a list',
  object: 'a mapping (key: value lines)',
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
};

/** A YAML value as a user would describe it. */
function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `"${value.slice(0, 80)}"`;
  return String(value);
}

/**
 * Messages for the generic zod issues in the words of a YAML file; a schema's own `error`
 * (e.g. "needs at least one bucket") takes precedence over these.
 */
function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = typeNames[issue.expected] ?? issue.expected;
      return issue.input === undefined
        ? `missing (expected ${expected})`
        : `expected ${expected}, got ${describeValue(issue.input)}`;
    }
    case 'invalid_value': {
      const allowed = issue.values.map(String).join(', ');
      if (issue.input === undefined) return `missing (expected one of ${allowed})`;
      if (issue.input === null) return `empty (expected one of ${allowed})`;
      return `${describeValue(issue.input)} is not one of ${allowed}`;
    }
    case 'too_small':
      if (issue.origin === 'array')
        return `needs at least ${String(issue.minimum)} ${Number(issue.minimum) === 1 ? 'entry' : 'entries'}`;
      if (issue.origin === 'string') return 'must not be empty';
      return (
        `must be ${issue.inclusive ? 'at least' : 'greater than'} ` +
        `${String(issue.minimum)}, got ${describeValue(issue.input)}`
      );
    case 'too_big':
      if (issue.origin === 'array') return `takes at most ${String(issue.maximum)} entries`;
      return (
        `must be ${issue.inclusive ? 'at most' : 'less than'} ` +
        `${String(issue.maximum)}, got ${describeValue(issue.input)}`
      );
    case 'invalid_format':
      return `${describeValue(issue.input)} is not a valid ${issue.format === 'url' ? 'URL' : issue.format}`;
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
    default:
      return undefined;
  }
}
