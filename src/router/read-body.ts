import type { Readable } from 'node:stream';

/** How much of an upstream error body is kept: a real error is a few hundred bytes. */
export const errorBodyLimitBytes = 64 * 1024;

/**
 * Reads at most `limit` bytes of an error body as text and discards the rest, so a huge error
 * answer can neither exhaust memory nor keep the connection from being reused.
 */
export async function readErrorText(body: Readable, limit = errorBodyLimitBytes): Promise<string> {
  return (await readErrorTextBounded(body, limit)).text;
}

/** readErrorText, saying whether the body was cut at `limit` (cut JSON must not be relayed as JSON). */
export function readErrorTextBounded(
  body: Readable,
  limit = errorBodyLimitBytes,
): Promise<{ text: string; truncated: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    body.on('data', (chunk: Buffer) => {
      if (size >= limit) {
        truncated = true;
        return;
      }
      chunks.push(chunk);
      size += chunk.length;
    });
    const finish = () =>
      resolve({
        text: Buffer.concat(chunks).subarray(0, limit).toString('utf8'),
        truncated: truncated || size > limit,
      });
    body.once('end', finish);
    body.once('error', finish);
  });
}
