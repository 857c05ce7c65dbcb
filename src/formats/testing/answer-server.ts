import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AnswerServer {
  url: string;
  /** How many requests reached it (an SDK that retried would show more than one). */
  requests(): number;
  close(): Promise<void>;
}

/** Internal (tests): a loopback server answering every request with one status and body. */
export async function startAnswerServer(status: number, contentType: string, body: string): Promise<AnswerServer> {
  let requests = 0;
  const server = createServer((request, response) => {
    requests++;
    request.resume();
    request.once('end', () => {
      response.writeHead(status, { 'content-type': contentType });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
