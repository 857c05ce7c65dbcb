import { claudeCodeIdentity } from './claude-code-identity.js';

/** The identity block as JSON, serialised once. */
const identityJson = JSON.stringify({ type: 'text', text: claudeCodeIdentity });
const quote = 34; // "
const backslash = 92; // \
const colon = 58; // :
const comma = 44; // ,
const openBrace = 123; // {
const closeBrace = 125; // }
const openBracket = 91; // [
const closeBracket = 93; // ]

/**
 * The client's JSON text with the Claude Code identity put first in its top-level `system`, the
 * same request `withClaudeCodeIdentity` makes from the parsed body but without re-serialising it:
 * the bytes are spliced where `system` is (or inserted after the opening brace when there is
 * none), so a large conversation costs a scan of its top level, not a JSON.stringify of all of it.
 * `body` is `text` parsed. Undefined for shapes the scanner leaves to parse and serialise (a
 * repeated top-level key, text that is not one JSON object).
 */
export function spliceClaudeCodeIdentity(body: Record<string, unknown>, text: string): string | undefined {
  const system = body.system;
  if (system === undefined) {
    // No `system` key anywhere at the top level (JSON.parse would have kept it): no scan needed.
    const brace = skipWhitespace(text, 0);
    if (text.charCodeAt(brace) !== openBrace) return undefined;
    const separator = hasKeys(body) ? ',' : '';
    return `${text.slice(0, brace)}{"system":[${identityJson}]${separator}${text.slice(brace + 1)}`;
  }
  if (system === claudeCodeIdentity) return text;
  if (Array.isArray(system)) {
    const first: unknown = system[0];
    if (isTextBlock(first) && first.text === claudeCodeIdentity) return text;
  } else if (system !== null && system !== '' && typeof system !== 'string') {
    // Neither text nor blocks: the body goes as the client sent it.
    return text;
  }
  const value = topLevelValue(text, 'system');
  if (value === undefined) return undefined;
  const { start, end } = value;
  let replacement: string;
  if (system === null || system === '') replacement = `[${identityJson}]`;
  else if (typeof system === 'string')
    replacement = `[${identityJson},{"type":"text","text":${text.slice(start, end)}}]`;
  else {
    // An array: the identity goes in after its opening bracket, the client's blocks byte for byte after it.
    if (text.charCodeAt(start) !== openBracket) return undefined;
    replacement = `[${identityJson}${system.length > 0 ? ',' : ''}${text.slice(start + 1, end)}`;
  }
  return text.slice(0, start) + replacement + text.slice(end);
}

/**
 * Where the value of the top-level `key` lies in `text`: start and end offsets. Only the top
 * level is read as keys; nested objects and strings are skipped whole, so a `"system"` inside
 * a message or a tool's schema is never taken for it. Undefined when the key is absent or appears
 * twice (JSON.parse keeps the last; the caller falls back to it).
 */
export function topLevelValue(text: string, key: string): { start: number; end: number } | undefined {
  let index = skipWhitespace(text, 0);
  if (text.charCodeAt(index) !== openBrace) return undefined;
  index = skipWhitespace(text, index + 1);
  if (text.charCodeAt(index) === closeBrace) return undefined;
  let found: { start: number; end: number } | undefined;
  for (;;) {
    if (text.charCodeAt(index) !== quote) return undefined;
    const keyEnd = stringEnd(text, index);
    if (keyEnd < 0) return undefined;
    let name = text.slice(index + 1, keyEnd - 1);
    // A key written with escapes (`"sys\u0074em"`) is read as JSON.parse reads it.
    if (name.includes('\\')) name = JSON.parse(text.slice(index, keyEnd)) as string;
    index = skipWhitespace(text, keyEnd);
    if (text.charCodeAt(index) !== colon) return undefined;
    const start = skipWhitespace(text, index + 1);
    const end = valueEnd(text, start);
    if (end < 0) return undefined;
    if (name === key) {
      if (found !== undefined) return undefined;
      found = { start, end };
    }
    index = skipWhitespace(text, end);
    const next = text.charCodeAt(index);
    if (next === closeBrace) return found;
    if (next !== comma) return undefined;
    index = skipWhitespace(text, index + 1);
  }
}

/** The offset just past the JSON value that starts at `start`, or -1 when it does not end. */
function valueEnd(text: string, start: number): number {
  const first = text.charCodeAt(start);
  if (first === quote) return stringEnd(text, start);
  if (first !== openBrace && first !== openBracket) {
    // A number, true, false or null: up to the next delimiter.
    let index = start;
    while (index < text.length) {
      const code = text.charCodeAt(index);
      if (code === comma || code === closeBrace || code === closeBracket || isWhitespace(code)) break;
      index += 1;
    }
    return index > start ? index : -1;
  }
  let depth = 0;
  let index = start;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (code === quote) {
      index = stringEnd(text, index);
      if (index < 0) return -1;
      continue;
    }
    if (code === openBrace || code === openBracket) depth += 1;
    else if (code === closeBrace || code === closeBracket) {
      depth -= 1;
      if (depth === 0) return index + 1;
    }
    index += 1;
  }
  return -1;
}

/** The offset just past the string whose opening quote is at `start` (strings are jumped over, not walked). */
function stringEnd(text: string, start: number): number {
  let from = start + 1;
  for (;;) {
    const closing = text.indexOf('"', from);
    if (closing < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(closing - 1 - backslashes) === backslash) backslashes += 1;
    if (backslashes % 2 === 0) return closing + 1;
    from = closing + 1;
  }
}

function skipWhitespace(text: string, start: number): number {
  let index = start;
  while (isWhitespace(text.charCodeAt(index))) index += 1;
  return index;
}

/** JSON's four whitespace characters. */
function isWhitespace(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9;
}

function hasKeys(body: Record<string, unknown>): boolean {
  for (const _ in body) return true;
  return false;
}

function isTextBlock(value: unknown): value is { type: 'text'; text: unknown } {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'text';
}
