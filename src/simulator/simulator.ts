import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { AccountBook, type Account } from './accounts.js';
import { anthropicMessage, anthropicStream } from './answers/anthropic.js';
import { chatCompletion, chatStream } from './answers/chat.js';
import { answerWords, usageFor } from './answers/content.js';
import { geminiResponse, geminiStream } from './answers/gemini.js';
import { response as responsesAnswer, responseStream } from './answers/responses.js';
import { errorAnswer, rateLimitAnswer, streamErrorEvent, type CannedAnswer } from './error-answers.js';
import { matchRoute, type ApiRoute } from './route.js';
import { parseTokenRequest, refreshGrant } from './token-endpoint.js';
import type { AccountCounts, AccountCredentials, AccountOptions, Step } from './types.js';

export interface SimulatorOptions {
  host?: string;
  port?: number;
  clock?: { now(): number };
}

export interface Simulator {
  url: string;
  port: number;
  addAccount(name: string, options?: AccountOptions): AccountCredentials;
  script(account: string, steps: Step[]): void;
  setBehavior(account: string, step: Step | undefined): void;
  counts(account: string): AccountCounts;
  totalRequests(): number;
  resetCounts(): void;
  close(): Promise<void>;
}

const claudeCodeIdentity = "You are Claude Code, Anthropic's official CLI for Claude.";

function credentialOf(request: IncomingMessage, query: URLSearchParams): string | undefined {
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string' && authorization.startsWith('Bearer ')) return authorization.slice(7);
  const key = request.headers['x-api-key'] ?? request.headers['x-goog-api-key'];
  if (typeof key === 'string') return key;
  return query.get('key') ?? undefined;
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** Claude subscription tokens only work for requests that look like Claude Code. */
function looksLikeClaudeCode(request: IncomingMessage, body: Record<string, unknown>): boolean {
  const betas = String(request.headers['anthropic-beta'] ?? '').split(',').map((beta) => beta.trim());
  if (!betas.includes('oauth-2025-04-20')) return false;
  const system = body.system;
  if (typeof system === 'string') return system === claudeCodeIdentity;
  if (Array.isArray(system)) return (system[0] as { text?: unknown } | undefined)?.text === claudeCodeIdentity;
  return false;
}

/** Starts the provider simulator on loopback. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const clock = options.clock ?? { now: () => Date.now() };
  const book = new AccountBook(() => clock.now());
  const sockets = new Set<Socket>();
  let url = '';

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
      handle(request, response, text).catch((error: unknown) => {
        if (!response.headersSent) sendJson(response, 500, { error: { message: `simulator failure: ${String(error)}` } });
        else response.destroy();
      });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  async function handle(request: IncomingMessage, response: ServerResponse, text: string): Promise<void> {
    const queryStart = request.url!.indexOf('?');
    const path = queryStart === -1 ? request.url! : request.url!.slice(0, queryStart);
    const query = new URLSearchParams(queryStart === -1 ? '' : request.url!.slice(queryStart + 1));
    if (path.startsWith('/__sim/')) return control(request, response, path, text);
    if (path === '/oauth/token' && request.method === 'POST') {
      const form = parseTokenRequest(request.headers['content-type'], text);
      if (form.grant_type !== 'refresh_token') return sendJson(response, 400, { error: 'unsupported_grant_type', error_description: `grant_type ${form.grant_type ?? '(none)'} is not supported here` });
      const answer = refreshGrant(book, form, url);
      if (answer.delayMs > 0) await sleep(answer.delayMs);
      return sendJson(response, answer.status, answer.body);
    }
    if (path === '/v1/models' && request.method === 'GET') {
      return sendJson(response, 200, { object: 'list', data: [{ id: 'sim-model', object: 'model', created: 1_795_000_000, owned_by: 'simulator' }] });
    }
    const route = request.method === 'POST' ? matchRoute(path) : undefined;
    if (!route) return sendJson(response, 404, { error: { message: `The simulator has no route ${request.method} ${path}` } });

    const credential = credentialOf(request, query);
    const auth = book.authenticate(credential);
    if (!auth) {
      book.unknownCounts.requests += 1;
      return finishCanned(response, undefined, errorAnswer(route.format, 401, 'auth', 'Invalid API key or access token.'));
    }
    const account = auth.account;
    account.counts.requests += 1;
    account.counts.inFlight += 1;
    account.counts.maxConcurrent = Math.max(account.counts.maxConcurrent, account.counts.inFlight);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      account.counts.inFlight -= 1;
    };
    response.once('close', release);
    response.once('finish', release);

    if (auth.expired) return finishCanned(response, account, errorAnswer(route.format, 401, 'expired', 'The access token has expired.'));
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return finishCanned(response, account, errorAnswer(route.format, 400, 'bad-request', 'The request body is not valid JSON.'));
    }
    if (route.format === 'anthropic' && auth.oauth && route.operation === 'generate' && !looksLikeClaudeCode(request, body)) {
      return finishCanned(
        response,
        account,
        errorAnswer('anthropic', 400, 'bad-request', 'This credential is only authorized for use with Claude Code and cannot be used for other API requests.'),
      );
    }
    if (route.codex && request.headers['chatgpt-account-id'] !== account.accountId) {
      return finishCanned(response, account, errorAnswer('responses', 400, 'bad-request', 'The chatgpt-account-id header is missing or does not match the token.'));
    }
    await answerStep(request, response, route, account, body, text.length);
  }

  function finishCanned(response: ServerResponse, account: Account | undefined, answer: CannedAnswer): void {
    const counts = account?.counts ?? book.unknownCounts;
    counts.byStatus[answer.status] = (counts.byStatus[answer.status] ?? 0) + 1;
    sendJson(response, answer.status, answer.body, answer.headers);
  }

  async function answerStep(request: IncomingMessage, response: ServerResponse, route: ApiRoute, account: Account, body: Record<string, unknown>, bytes: number): Promise<void> {
    const step = book.nextStep(account);
    const format = route.format;
    const streaming = route.pathStreams ?? body.stream === true;
    switch (step.kind) {
      case 'rate-limit':
        return finishCanned(response, account, rateLimitAnswer(format, step.style, step.resetSeconds, step.quota ?? false, clock.now()));
      case 'payment':
        return finishCanned(response, account, errorAnswer(format, 402, 'payment', 'Payment required: the account has no credit left.'));
      case 'unauthorized':
        return finishCanned(response, account, errorAnswer(format, 401, 'auth', 'Invalid authentication credentials.'));
      case 'server-error': {
        const status = step.status ?? 500;
        return finishCanned(response, account, errorAnswer(format, status, 'server', status === 529 ? 'Overloaded' : 'Internal server error.'));
      }
      case 'stream-error':
        if (!streaming) return finishCanned(response, account, errorAnswer(format, 500, 'server', 'Internal server error.'));
        countStatus(account, 200);
        response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        response.end(streamErrorEvent(format, step.errorType));
        return;
      case 'slow':
        await sleep(step.delayMs);
        break;
      case 'ok':
        if (step.delayMs) await sleep(step.delayMs);
        break;
      case 'stream-cut':
        break;
    }
    if (route.operation === 'count-tokens') return finishCanned(response, account, { status: 200, headers: {}, body: { input_tokens: Math.max(1, Math.ceil(bytes / 4)) } });

    const model = route.pathModel ?? (typeof body.model === 'string' ? body.model : 'sim-model');
    const words = answerWords(account.name, step.kind === 'ok' && step.streamEvents !== undefined ? step.streamEvents : 5);
    const usage = usageFor(bytes, words);
    const wrap = (value: unknown) => (route.codeAssist ? { response: value } : value);

    if (!streaming) {
      if (step.kind === 'stream-cut') return finishCanned(response, account, errorAnswer(format, 500, 'server', 'Internal server error.'));
      const answer =
        format === 'anthropic' ? anthropicMessage(model, words, usage) : format === 'chat' ? chatCompletion(model, words, usage) : format === 'responses' ? responsesAnswer(model, words, usage) : wrap(geminiResponse(model, words, usage));
      return finishCanned(response, account, { status: 200, headers: {}, body: answer });
    }

    const includeUsage = (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
    const events =
      format === 'anthropic'
        ? anthropicStream(model, words, usage)
        : format === 'chat'
          ? chatStream(model, words, usage, includeUsage)
          : format === 'responses'
            ? responseStream(model, words, usage)
            : geminiStream(model, words, usage, wrap);
    countStatus(account, 200);
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    if (step.kind === 'stream-cut') {
      response.write(events.slice(0, step.afterEvents).join(''));
      // Let the events leave before the connection dies, like a proxy cutting a stream midway.
      setTimeout(() => response.socket?.destroy(), 5);
      return;
    }
    if (step.kind === 'ok' && step.holdOpenMs) {
      response.write(events.slice(0, 2).join(''));
      await sleep(step.holdOpenMs);
      if (response.destroyed) return;
      response.end(events.slice(2).join(''));
      return;
    }
    response.end(events.join(''));
  }

  function countStatus(account: Account, status: number): void {
    account.counts.byStatus[status] = (account.counts.byStatus[status] ?? 0) + 1;
  }

  function control(request: IncomingMessage, response: ServerResponse, path: string, text: string): void {
    let body: Record<string, unknown> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      return sendJson(response, 400, { error: 'invalid JSON' });
    }
    try {
      if (path === '/__sim/accounts' && request.method === 'POST') {
        const { name, ...rest } = body as unknown as { name: string } & AccountOptions;
        return sendJson(response, 200, book.add(String(name), rest));
      }
      if (path === '/__sim/script' && request.method === 'POST') {
        simulator.script(String(body.account), (body.steps ?? []) as Step[]);
        return sendJson(response, 200, { ok: true });
      }
      if (path === '/__sim/behavior' && request.method === 'POST') {
        simulator.setBehavior(String(body.account), (body.step ?? undefined) as Step | undefined);
        return sendJson(response, 200, { ok: true });
      }
      if (path === '/__sim/counts' && request.method === 'GET') {
        const accounts: Record<string, AccountCounts> = {};
        for (const account of book.all()) accounts[account.name] = account.counts;
        return sendJson(response, 200, { accounts, unknown: book.unknownCounts });
      }
      if (path === '/__sim/reset-counts' && request.method === 'POST') {
        book.resetCounts();
        return sendJson(response, 200, { ok: true });
      }
    } catch (error) {
      return sendJson(response, 400, { error: error instanceof Error ? error.message : String(error) });
    }
    sendJson(response, 404, { error: `no control route ${request.method} ${path}` });
  }

  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  url = `http://${address.address}:${address.port}`;

  const simulator: Simulator = {
    url,
    port: address.port,
    addAccount: (name, accountOptions) => book.add(name, accountOptions),
    script(name, steps) {
      book.get(name).queue.push(...steps);
    },
    setBehavior(name, step) {
      book.get(name).behavior = step;
    },
    counts: (name) => book.get(name).counts,
    totalRequests() {
      let total = book.unknownCounts.requests;
      for (const account of book.all()) total += account.counts.requests;
      return total;
    },
    resetCounts: () => book.resetCounts(),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
  return simulator;
}
