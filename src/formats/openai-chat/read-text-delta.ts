import { isRecord, parseJson } from '../../core/json.js';
import { ChunkScanner } from './chunk-scanner.js';

/**
 * Reads the text of Chat chunks that are nothing but a text delta, without JSON.parse: most of a
 * streamed answer is such chunks, and parsing each into objects was a third of a translated
 * stream's cost (bench/RESULTS.md, issue 22). Anything else reads as undefined, and the caller
 * parses the chunk in full.
 *
 * A stream's chunks repeat one envelope around their text, and scanning a chunk character by
 * character in JavaScript costs about what JSON.parse does. So the reader keeps an envelope: the
 * text before a text delta's content (the prefix) and after it (the suffix). A chunk made of the
 * prefix, one JSON string and the suffix parses as the envelope's chunk did, with that string
 * for its text, so only the string is scanned (and compared with `slice` and `===`:
 * `String.prototype.startsWith` compares unit by unit and cost as much as the parse).
 *
 * An envelope is learnt from a chunk the caller parsed in full and found a text delta in
 * (`learn`), and checked by parsing it once more around a probe string. A chunk that starts with
 * the prefix but ends otherwise (OpenAI's per-chunk `obfuscation` field) is scanned whole once
 * (chunk-scanner.ts); then the prefix is known to leave the scanner in one state where the content
 * begins (it reads left to right, its state a function of the text read), and later chunks are
 * scanned from there. Chunks that start otherwise are never scanned: in a stream of tool calls or
 * reasoning, every scan would give up and cost a second parse.
 * @see https://platform.openai.com/docs/api-reference/chat-streaming/streaming
 */
export interface TextDeltaReader {
  /** The chunk's text ('' when it carries none: an empty or null `content`), or undefined: parse it in full. */
  read(data: string): string | undefined;
  /** The caller parsed `data` in full and found only a text delta of `text`: learn its envelope. */
  learn(data: string, text: string): void;
}

/** A reader for one stream's chunks. */
export function createTextDeltaReader(): TextDeltaReader {
  const scanner = new ChunkScanner();
  let prefix: string | undefined;
  let suffix: string | undefined;
  /** Whether the scanner has read a chunk with this prefix whole, so that the rest of a chunk may be scanned. */
  let prefixScanned = false;
  let scanTried = false;
  /** Envelopes learnt: a stream whose text deltas each need a new one is left to the full parse. */
  let learnt = 0;

  /** Scans `data` whole, once per prefix; on success, keeps its envelope as scanned. */
  const scanWhole = (data: string): string | undefined => {
    scanTried = true;
    scanner.reset(data, 0);
    if (!scanner.chunk()) return undefined;
    // Only a string content is read at a prefix's end (a null one there is left to the full parse).
    if (scanner.contentEnd >= 0) {
      prefix = data.slice(0, scanner.contentStart);
      suffix = data.slice(scanner.contentEnd);
      prefixScanned = true;
    }
    return scanner.text;
  };

  return {
    read(data: string): string | undefined {
      if (prefix === undefined || data.slice(0, prefix.length) !== prefix) return undefined;
      scanner.reset(data, prefix.length);
      if (!scanner.contentString()) return undefined;
      const textEnd = scanner.at;
      if (data.length - textEnd === suffix?.length && data.slice(textEnd) === suffix) return scanner.text;
      if (!prefixScanned) return scanTried ? undefined : scanWhole(data);
      if (!scanner.afterContent()) return undefined;
      // A second `content` in the rest replaced the text: such a rest is not kept as the usual one.
      suffix = scanner.contentStart === prefix.length ? data.slice(textEnd) : undefined;
      return scanner.text;
    },
    learn(data: string, text: string): void {
      if (learnt >= maximumEnvelopes) return;
      learnt += 1;
      const literal = JSON.stringify(text);
      const at = data.lastIndexOf(literal);
      // The text written with other escapes than JSON.stringify's: the scanner finds it.
      if (at === -1) {
        prefix = undefined;
        scanTried = false;
        scanWhole(data);
        return;
      }
      const candidatePrefix = data.slice(0, at);
      const candidateSuffix = data.slice(at + literal.length);
      if (!isOnlyTextDelta(parseJson(`${candidatePrefix}${probeLiteral}${candidateSuffix}`), probe)) return;
      prefix = candidatePrefix;
      suffix = candidateSuffix;
      prefixScanned = false;
      scanTried = false;
    },
  };
}

const maximumEnvelopes = 8;

/**
 * The probe cannot be read outside a JSON string, so a chunk that parses with it where the text
 * was has it as a string token: the prefix ends where a value starts, and any other string there
 * parses to the same chunk with that string in its place (a prefix ending in a string's escape
 * would make the probe's quote part of that string, and the content would not be the probe).
 */
const probe = '#';
const probeLiteral = JSON.stringify(probe);

/**
 * Whether the Chat stream decoder, once started, makes of `chunk` only a text delta of `text`
 * (decode-stream.ts reads the same fields): no error or usage object, one choice at index 0, no
 * finish reason, reasoning or tool calls.
 */
function isOnlyTextDelta(chunk: unknown, text: string): boolean {
  if (!isRecord(chunk) || isRecord(chunk.error) || isRecord(chunk.usage)) return false;
  const { choices } = chunk;
  if (!Array.isArray(choices) || choices.length !== 1) return false;
  const choice: unknown = choices[0];
  if (!isRecord(choice) || (choice.index !== undefined && choice.index !== 0)) return false;
  if (typeof choice.finish_reason === 'string' || !isRecord(choice.delta)) return false;
  const { delta } = choice;
  return (
    delta.content === text &&
    typeof delta.reasoning_content !== 'string' &&
    (delta.tool_calls === undefined || delta.tool_calls === null)
  );
}
