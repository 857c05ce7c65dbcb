import { stat } from 'node:fs/promises';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { readTextOrNull } from './secure-files.js';

/** Profiles and config.yaml are small; anything larger is a mistake or an attack. */
export const maximumYamlBytes = 256 * 1024;
/** Aliases are legitimate in hand-written YAML, but a handful suffices; more is an alias bomb. */
const maximumAliasCount = 50;

/** A YAML file refused with where and why, and how to fix it. */
export class ConfigFileError extends Error {
  override readonly name = 'ConfigFileError';
  constructor(
    readonly path: string,
    readonly line: number | undefined,
    readonly field: string | undefined,
    readonly problem: string,
    readonly hint: string | undefined,
  ) {
    super(`${path}${line !== undefined ? `:${line}` : ''}: ${field ? `${field}: ` : ''}${problem}${hint ? ` — ${hint}` : ''}`);
  }
}

export interface ParsedYaml {
  document: Document;
  lineCounter: LineCounter;
  value: unknown;
}

/** Reads and parses one YAML document safely; a missing file reads as null. */
export async function readYamlFile(path: string): Promise<ParsedYaml | null> {
  const info = await stat(path).catch(() => null);
  if (info && info.size > maximumYamlBytes) {
    throw new ConfigFileError(path, undefined, undefined, `the file is ${info.size} bytes, over the limit of ${maximumYamlBytes}`, 'profiles and config.yaml are small; check that this is the right file');
  }
  const text = await readTextOrNull(path);
  if (text === null) return null;
  return parseYamlText(path, text);
}

export function parseYamlText(path: string, text: string): ParsedYaml {
  if (Buffer.byteLength(text) > maximumYamlBytes) {
    throw new ConfigFileError(path, undefined, undefined, `the file is over the limit of ${maximumYamlBytes} bytes`, undefined);
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const firstError = document.errors[0];
  if (firstError) {
    const position = firstError.linePos?.[0] ?? lineCounter.linePos(firstError.pos[0]);
    const where = position ? ` (column ${position.col})` : '';
    throw new ConfigFileError(path, position?.line, undefined, `invalid YAML${where}: ${firstError.message.split('\n')[0]}`, 'check the indentation, quotes and brackets on that line');
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: maximumAliasCount });
  } catch (error) {
    throw new ConfigFileError(path, undefined, undefined, `refused: ${error instanceof Error ? error.message : String(error)}`, 'aliases may expand a document only a little; write the values out');
  }
  return { document, lineCounter, value };
}

/** The 1-based line of a path in the document, or of its nearest existing parent. */
export function lineOf(parsed: ParsedYaml, path: readonly PropertyKey[]): number | undefined {
  for (let length = path.length; length >= 0; length -= 1) {
    const node = length === 0 ? parsed.document.contents : parsed.document.getIn(path.slice(0, length) as (string | number)[], true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) return parsed.lineCounter.linePos(range[0]).line;
  }
  return undefined;
}

/** `buckets[1]`, `limits.maxConcurrent`. */
export function fieldName(path: readonly PropertyKey[]): string {
  return path.reduce<string>((name, part) => (typeof part === 'number' ? `${name}[${part}]` : name ? `${name}.${String(part)}` : String(part)), '');
}

/** Validates a parsed document; the first problem becomes a ConfigFileError with its line and a hint. */
export function validateYaml<T>(path: string, parsed: ParsedYaml, schema: z.ZodType<T>, hintFor: (field: string, issue: z.core.$ZodIssue) => string | undefined): T {
  const result = schema.safeParse(parsed.value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const issuePath = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : issue.path;
  const field = fieldName(issuePath);
  return failWith(path, lineOf(parsed, issuePath), field, describeIssue(issue), hintFor(field, issue));
}

function failWith(path: string, line: number | undefined, field: string, problem: string, hint: string | undefined): never {
  throw new ConfigFileError(path, line, field || undefined, problem, hint);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
  if (issue.code === 'invalid_type' && issue.input === undefined) return `missing (expected ${issue.expected})`;
  return issue.message;
}
