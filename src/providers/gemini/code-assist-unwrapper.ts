import { Transform, type TransformCallback } from 'node:stream';
import type { ResponseUnwrapper } from '../types.js';

/** Code Assist answers `{ "response": <GenerateContentResponse> }`; clients expect the inner object. */
function unwrapJson(text: string): string {
  try {
    const parsed = JSON.parse(text) as { response?: unknown };
    return parsed && typeof parsed === 'object' && 'response' in parsed ? JSON.stringify(parsed.response) : text;
  } catch {
    return text;
  }
}

const lineFeed = 0x0a;

/**
 * Rewrites each `data:` line of an SSE stream, holding back a partial line until it completes.
 * Lines are cut as bytes and decoded whole, so a character split between chunks stays intact;
 * each chunk is searched once, so a long line costs no rescans.
 */
class SseDataUnwrap extends Transform {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly maximumLineBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const lastNewline = chunk.lastIndexOf(lineFeed);
    if (lastNewline === -1) {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      // A line past the limit is not held: it goes on untouched, and the relay refuses the event it is in.
      callback(null, this.pendingBytes > this.maximumLineBytes ? this.takePending() : undefined);
      return;
    }
    const lines = Buffer.concat([...this.pending, chunk.subarray(0, lastNewline + 1)]);
    this.pending = lastNewline + 1 < chunk.length ? [chunk.subarray(lastNewline + 1)] : [];
    this.pendingBytes = chunk.length - lastNewline - 1;
    callback(null, rewriteLines(lines.toString('utf8')));
  }

  override _flush(callback: TransformCallback): void {
    callback(null, this.pendingBytes > 0 ? rewriteLines(this.takePending().toString('utf8')) : undefined);
  }

  private takePending(): Buffer {
    const pending = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    return pending;
  }
}

function rewriteLines(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      if (!line.startsWith('data:')) return line;
      // Keep a CRLF line ending as it was, so event boundaries survive the rewrite.
      const carriageReturn = line.endsWith('\r') ? '\r' : '';
      return `data: ${unwrapJson(line.slice(5).trim())}${carriageReturn}`;
    })
    .join('\n');
}

export const codeAssistUnwrapper: ResponseUnwrapper = {
  body: unwrapJson,
  stream: (maximumLineBytes) => new SseDataUnwrap(maximumLineBytes),
};
