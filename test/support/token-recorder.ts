import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A token pair the provider handed out, as it was sent (the provider's answer). */
export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
}

/**
 * A pass-through in front of the simulator's token endpoint that records every successful
 * answer, so a test knows exactly which access and refresh tokens belong together.
 */
export interface TokenRecorder {
  url: string;
  issued: IssuedTokens[];
  /** Resolves when the next token request arrives (before it is forwarded). */
  nextRequest(): Promise<void>;
  close(): Promise<void>;
}

export async function startTokenRecorder(tokenUrl: string): Promise<TokenRecorder> {
  const issued: IssuedTokens[] = [];
  let waiters: (() => void)[] = [];
  const server = createServer((request, response) => {
    for (const wake of waiters) wake();
    waiters = [];
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      fetch(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': request.headers['content-type'] ?? 'application/json' },
        body: Buffer.concat(chunks),
      })
        .then(async (answer) => {
          const text = await answer.text();
          if (answer.ok) {
            const body = JSON.parse(text) as { access_token: string; refresh_token: string };
            issued.push({ accessToken: body.access_token, refreshToken: body.refresh_token });
          }
          response.writeHead(answer.status, { 'content-type': 'application/json' });
          response.end(text);
        })
        .catch(() => {
          response.writeHead(502, { 'content-type': 'application/json' });
          response.end('{"error":"temporarily_unavailable"}');
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth/token`,
    issued,
    nextRequest: () => new Promise<void>((resolve) => waiters.push(resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
