import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the token server saw it. */
export interface RecordedTokenRequest {
  contentType: string;
  raw: string;
  parameters: Record<string, string>;
}

export interface TokenServerOptions {
  /** Issue a new refresh token with every answer and invalidate the old one (default true). */
  rotate?: boolean;
  expiresIn?: number;
  /** Extra fields for successful answers (id_token, resource_url, ...). */
  extra?: Record<string, unknown>;
  /** What rejected refresh tokens get (default 400 `{"error":"invalid_grant"}`). */
  rejection?: { status: number; body: unknown };
}

/** A tiny OAuth token endpoint for tests: rotates refresh tokens and counts what reached it. */
export interface TokenServer {
  url: string;
  requests: RecordedTokenRequest[];
  /** Refresh tokens the server accepts; seed one per test. */
  valid: Set<string>;
  /** Answers to give before normal behaviour resumes, e.g. `[{ status: 503, body: {} }]`. */
  queued: { status: number; body: unknown }[];
  close(): Promise<void>;
}

export async function startTokenServer(options: TokenServerOptions = {}): Promise<TokenServer> {
  const requests: RecordedTokenRequest[] = [];
  const valid = new Set<string>();
  const queued: { status: number; body: unknown }[] = [];
  let issued = 0;
  const server = createServer((request, response) => {
    let raw = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (raw += chunk));
    request.on('end', () => {
      const contentType = request.headers['content-type'] ?? '';
      const parameters: Record<string, string> = contentType.includes('json')
        ? (JSON.parse(raw) as Record<string, string>)
        : Object.fromEntries(new URLSearchParams(raw));
      requests.push({ contentType, raw, parameters });
      const send = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      // A short pause keeps concurrent callers genuinely overlapping.
      setTimeout(() => {
        const next = queued.shift();
        if (next) return send(next.status, next.body);
        const refreshToken = parameters.refresh_token ?? '';
        if (parameters.grant_type !== 'refresh_token' || !valid.has(refreshToken)) {
          return send(options.rejection?.status ?? 400, options.rejection?.body ?? { error: 'invalid_grant' });
        }
        issued += 1;
        const answer: Record<string, unknown> = {
          access_token: `access-issued-${issued}`,
          token_type: 'Bearer',
          expires_in: options.expiresIn ?? 3600,
          ...options.extra,
        };
        if (options.rotate !== false) {
          valid.delete(refreshToken);
          answer.refresh_token = `refresh-issued-${issued}`;
          valid.add(answer.refresh_token as string);
        }
        send(200, answer);
      }, 10);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/oauth/token`,
    requests,
    valid,
    queued,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
