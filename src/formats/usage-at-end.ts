/** Internal: the `usage` object of a plain answer found without parsing the whole answer. */

import { KeySearch } from './key-search.js';

const key = new KeySearch('"usage"');
const quote = 0x22;
const backslash = 0x5c;
const openBrace = 0x7b;
const closeBrace = 0x7d;
const comma = 0x2c;
const colon = 0x3a;

function isWhitespace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/** Index just past the object opening at `start` (strings and nesting respected), or -1. */
function objectEnd(bytes: Buffer, start: number): number {
  let depth = 0;
  let inString = false;
  for (let index = start; index < bytes.length; index++) {
    const byte = bytes[index];
    if (inString) {
      if (byte === backslash) index++;
      else if (byte === quote) inString = false;
    } else if (byte === quote) {
      inString = true;
    } else if (byte === openBrace) {
      depth++;
    } else if (byte === closeBrace) {
      depth--;
      if (depth === 0) return index + 1;
    }
  }
  return -1;
}

/**
 * `{"usage":{...}}` when the answer's root object ends with its `usage` member (as Anthropic and
 * OpenAI answers do), else undefined and the caller parses the whole answer. Only the root can
 * close at the very end of the text, so a `usage` inside the content is never mistaken for it;
 * the key must follow `{` or `,`, which inside a JSON string can never precede an unescaped quote.
 * The rest of the answer is not validated: a 2xx answer broken before its usage still counts it.
 */
export function usageAtEnd(body: Buffer): string | undefined {
  const at = key.lastIndexOf(body);
  if (at === -1) return undefined;
  let before = at - 1;
  while (isWhitespace(body[before])) before--;
  if (body[before] !== comma && body[before] !== openBrace) return undefined;
  let index = at + key.length;
  while (isWhitespace(body[index])) index++;
  if (body[index] !== colon) return undefined;
  index++;
  while (isWhitespace(body[index])) index++;
  if (body[index] !== openBrace) return undefined;
  const start = index;
  const end = objectEnd(body, start);
  if (end === -1) return undefined;
  index = end;
  while (isWhitespace(body[index])) index++;
  if (body[index] !== closeBrace) return undefined;
  index++;
  while (isWhitespace(body[index])) index++;
  if (index !== body.length) return undefined;
  return `{"usage":${body.toString('utf8', start, end)}}`;
}
