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

/** Rewrites each `data:` line of an SSE stream, holding back a partial line until it completes. */
class SseDataUnwrap extends Transform {
  private pending = '';

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const text = this.pending + chunk.toString('utf8');
    const lastNewline = text.lastIndexOf('\n');
    if (lastNewline === -1) {
      this.pending = text;
      callback();
      return;
    }
    this.pending = text.slice(lastNewline + 1);
    callback(null, rewriteLines(text.slice(0, lastNewline + 1)));
  }

  override _flush(callback: TransformCallback): void {
    callback(null, this.pending ? rewriteLines(this.pending) : undefined);
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
  stream: () => new SseDataUnwrap(),
};
