// The raw passthrough baseline: a minimal node:http proxy that forwards the body and pipes the
// answer back over a keep-alive pool, and does nothing else. It is the practical limit for a
// Node proxy on this machine, so switchyard's throughput is reported as a ratio of it.
import http from 'node:http';

/** Starts the baseline proxy in front of `upstreamUrl`; resolves with its URL and a close function. */
export async function startPassthrough(upstreamUrl) {
  const upstream = new URL(upstreamUrl);
  // No cap on sockets, as switchyard's upstream pool has none: held streams each keep one.
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((request, response) => {
    const headers = { ...request.headers, host: upstream.host };
    const outgoing = http.request(
      { hostname: upstream.hostname, port: upstream.port, path: request.url, method: request.method, headers, agent },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    outgoing.on('error', () => {
      if (!response.headersSent) response.writeHead(502);
      response.end();
    });
    request.pipe(outgoing);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
