import type { Readable } from 'node:stream';

/**
 * Reads at most `limit` bytes of an error body as text and discards the rest, so a huge error
 * answer can neither exhaust memory nor keep the connection from being reused.
 */
export function readErrorText(body: Readable, limit = 64 * 1024): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      if (size >= limit) return;
      chunks.push(chunk);
      size += chunk.length;
    });
    const finish = () => resolve(Buffer.concat(chunks).subarray(0, limit).toString('utf8'));
    body.once('end', finish);
    body.once('error', finish);
  });
}
