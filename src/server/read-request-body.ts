import type { IncomingMessage } from 'node:http';
import { maximumJsonNesting, nestsDeeperThan } from '../core/json-nesting.js';
import type { WireFormat } from '../core/types.js';
import { HttpError } from './http-error.js';

/** Default limit on a request body; long conversations with images stay well below it. */
export const defaultBodyLimitBytes = 32 * 1024 * 1024;

export interface JsonBody {
  value: Record<string, unknown>;
  text: string;
}

/** Reads and parses a JSON object body straight from the socket, refusing oversized ones with 413. */
export function readJsonBody(
  incoming: IncomingMessage,
  format: WireFormat,
  limit = defaultBodyLimitBytes,
): Promise<JsonBody> {
  const declared = Number(incoming.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    incoming.resume();
    return Promise.reject(tooLarge(format, limit));
  }
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let size = 0;
    // The listeners stay on `incoming` for as long as its connection lives (a stream's whole length): each
    // removes all three once the body is read or refused, or their closures would keep the chunks and the
    // parsed body alive with it.
    const stop = (): void => {
      incoming.removeListener('data', onData);
      incoming.removeListener('error', onError);
      incoming.removeListener('end', onEnd);
      chunks = [];
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        stop();
        // The rest is read and dropped, so that the 413 can still be written on this connection.
        incoming.resume();
        reject(tooLarge(format, limit));
        return;
      }
      chunks.push(chunk);
    };
    const onError = (error: Error): void => {
      stop();
      reject(new HttpError(400, `The request body could not be read: ${error.message}`, 'invalid_body', format));
    };
    const onEnd = (): void => {
      const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8');
      stop();
      // Thrown inside an event listener, a parse error would escape the promise and crash the process.
      try {
        resolve({ value: parseObject(text, format), text });
      } catch (error) {
        reject(error);
      }
    };
    incoming.on('data', onData);
    incoming.on('error', onError);
    incoming.on('end', onEnd);
  });
}

function parseObject(text: string, format: WireFormat): Record<string, unknown> {
  if (text.trim() === '')
    throw new HttpError(400, 'The request body is empty; send a JSON object.', 'invalid_json', format);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new HttpError(400, `The request body is not valid JSON (${detail}).`, 'invalid_json', format);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HttpError(400, 'The request body must be a JSON object.', 'invalid_json', format);
  }
  // Refused here, in the caller's format: deeper down, re-serialising or translating it would run out of stack.
  if (nestsDeeperThan(parsed, maximumJsonNesting)) {
    throw new HttpError(
      400,
      `The request body nests objects and arrays more than ${maximumJsonNesting} levels deep.`,
      'json_too_deep',
      format,
    );
  }
  return parsed as Record<string, unknown>;
}

function tooLarge(format: WireFormat, limit: number): HttpError {
  return new HttpError(
    413,
    `The request body is larger than the limit of ${limit} bytes.`,
    'request_too_large',
    format,
  );
}
