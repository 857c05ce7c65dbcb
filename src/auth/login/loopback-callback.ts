import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A one-shot HTTP server on 127.0.0.1 that receives the browser's redirect with the code. */
export interface LoopbackCallback {
  /** `http://localhost:PORT/path`, the redirect_uri to register in the authorize request. */
  redirectUri: string;
  port: number;
  /** The first callback's full URL (code and state, or error). */
  received: Promise<URL>;
  close(): Promise<void>;
}

export interface LoopbackOptions {
  /** First port to try; 0 for any free port. */
  port: number;
  path: string;
  /** How many following ports to try when the first is taken (Codex: 1455, 1456, ...). */
  extraPorts?: number;
}

const page = (title: string, text: string): string =>
  `<!doctype html><html><head><meta ` +
  `charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>${text}</p></body></html>`;

/** Starts the callback server; resolves once it listens. */
export async function startLoopbackCallback(options: LoopbackOptions): Promise<LoopbackCallback> {
  let deliver: (url: URL) => void = () => undefined;
  const received = new Promise<URL>((resolve) => (deliver = resolve));
  let answered = false;
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    request.resume();
    if (request.method !== 'GET' || url.pathname !== options.path || answered) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    answered = true;
    const failed = url.searchParams.has('error');
    const body = failed
      ? page('Login failed', 'The provider refused the login. You can close this tab; switchyard shows the details.')
      : page('Login complete', 'switchyard received the code. You can close this tab.');
    response
      .writeHead(failed ? 400 : 200, { 'content-type': 'text/html; charset=utf-8', connection: 'close' })
      .end(body);
    deliver(url);
  });
  const port = await listen(server, options.port, options.port === 0 ? 0 : (options.extraPorts ?? 0));
  return {
    redirectUri: `http://localhost:${port}${options.path}`,
    port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Listens on 127.0.0.1, moving to the next port while the port is taken. */
async function listen(server: Server, firstPort: number, extraPorts: number): Promise<number> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(firstPort + attempt, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
      return (server.address() as AddressInfo).port;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= extraPorts) {
        throw new Error(
          `Cannot listen for the login callback on 127.0.0.1:${firstPort + attempt} ` +
            `(${(error as NodeJS.ErrnoException).code ?? 'error'}); pass --port with ` +
            `a free port.`,
          { cause: error },
        );
      }
    }
  }
}
