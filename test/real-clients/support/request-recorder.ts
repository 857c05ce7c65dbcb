import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a client made to switchyard, and how switchyard answered it. */
export interface RecordedExchange {
  method: string;
  path: string;
  status: number;
  /** `x-switchyard-bucket` of the answer, when switchyard proxied it. */
  bucket: string | undefined;
  /** `x-switchyard-attempts`: the trail, e.g. `anthropic/a:429,openai/b:200`. */
  attempts: string | undefined;
}

export interface RequestRecorder {
  /** Give this to the client instead of switchyard's own URL. */
  url: string;
  exchanges: RecordedExchange[];
  close(): Promise<void>;
}

/**
 * A transparent pass-through in front of switchyard that writes down every request a real
 * client makes (method, path, status, bucket headers), so a test can show that switchyard
 * answered all of them (no missing route or probe) and which bucket served.
 */
export async function startRequestRecorder(targetUrl: string): Promise<RequestRecorder> {
  const target = new URL(targetUrl);
  const exchanges: RecordedExchange[] = [];
  const server = createServer((incoming, outgoing) => {
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, host: target.host },
      },
      (answer) => {
        const header = (name: string) => {
          const value = answer.headers[name];
          return Array.isArray(value) ? value.join(',') : value;
        };
        exchanges.push({
          method: incoming.method ?? '',
          path: (incoming.url ?? '').split('?')[0] ?? '',
          status: answer.statusCode ?? 0,
          bucket: header('x-switchyard-bucket'),
          attempts: header('x-switchyard-attempts'),
        });
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.once('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exchanges,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
