import type { ServerResponse } from 'node:http';
import { answerText, estimateInputTokens } from './answer-text.js';
import type { AnswerContext, FailureKind, FormatAnswers, StreamFrames } from './formats/format.js';
import { codexAuthError } from './formats/openai-errors.js';
import { hangUp, isGone, sendJson, startEventStream, waitUntilClosed, waitWhileOpen } from './http-io.js';
import { nextId } from './ids.js';
import { jsonAnswer, requestedResponseFormat } from './json-answer.js';
import type { PromptCacheCounts } from './prompt-cache.js';
import { rateLimitHeaders } from './rate-limit-headers.js';
import type { ApiRoute } from './routes.js';
import { buildToolCall } from './tool-call.js';
import type { FaultPoint, SimulatorClock, Step } from './types.js';

/** One generate request, authenticated and past the gates, ready to be answered. */
export interface Exchange {
  route: ApiRoute;
  format: FormatAnswers;
  response: ServerResponse;
  accountName: string;
  body: Record<string, unknown>;
  bodyBytes: number;
  /** Anthropic: the prompt cache's share of the input, when the request marks a prefix. */
  promptCache?: PromptCacheCounts | undefined;
  stream: boolean;
  clock: SimulatorClock;
}

const defaultModels: Record<FormatAnswers['format'], string> = {
  anthropic: 'claude-sonnet-4-6',
  chat: 'gpt-4o-mini',
  responses: 'gpt-5-codex',
  gemini: 'gemini-2.5-pro',
};

function answerContext(exchange: Exchange, streamEvents: number): AnswerContext {
  const model = exchange.body.model;
  const streamOptions = exchange.body.stream_options;
  const plain = answerText(exchange.accountName, streamEvents);
  const responseFormat = requestedResponseFormat(exchange.format.format, exchange.body);
  return {
    id: nextId(),
    model: typeof model === 'string' ? model : (exchange.route.pathModel ?? defaultModels[exchange.format.format]),
    inputTokens: estimateInputTokens(exchange.bodyBytes),
    promptCache: exchange.promptCache,
    // JSON-mode clients (Gemini CLI's model classifier) parse the answer: give them a JSON document.
    answer: responseFormat === undefined ? plain : jsonAnswer(responseFormat, plain, streamEvents),
    createdSeconds: Math.floor(exchange.clock.now() / 1000),
    includeUsage:
      typeof streamOptions === 'object' &&
      streamOptions !== null &&
      (streamOptions as Record<string, unknown>).include_usage === true,
    codeAssist: exchange.route.codeAssist,
  };
}

function sendError(exchange: Exchange, status: number, kind: FailureKind, message: string): void {
  sendJson(exchange.response, status, exchange.format.error(status, kind, message));
}

async function answerOk(
  exchange: Exchange,
  streamEvents: number,
  holdOpenMs: number,
  toolCall?: AnswerContext['toolCall'],
  headers: Record<string, string> = {},
): Promise<void> {
  const context = answerContext(exchange, streamEvents);
  if (toolCall) context.toolCall = toolCall;
  const response = exchange.response;
  if (!exchange.stream) {
    sendJson(response, 200, exchange.format.json(context), headers);
    return;
  }
  const frames = exchange.format.stream(context);
  startEventStream(response, headers);
  if (holdOpenMs > 0) {
    // The head and first delta go out at once, so the client sees a live stream while it waits.
    response.write(frames.head.join('') + (frames.deltas[0] ?? ''));
    await waitWhileOpen(response, holdOpenMs);
    if (isGone(response)) return;
    response.end(frames.deltas.slice(1).join('') + frames.tail.join(''));
    return;
  }
  response.end(frames.head.join('') + frames.deltas.join('') + frames.tail.join(''));
}

function allFrames(frames: StreamFrames): string[] {
  return [...frames.head, ...frames.deltas, ...frames.tail];
}

function answerStreamCut(exchange: Exchange, cut: { afterEvents: number } | { atByte: number }): void {
  const response = exchange.response;
  const frames = allFrames(exchange.format.stream(answerContext(exchange, 5)));
  startEventStream(response);
  const sent =
    'atByte' in cut
      ? Buffer.from(frames.join('')).subarray(0, Math.max(0, cut.atByte))
      : Buffer.from(frames.slice(0, Math.max(0, cut.afterEvents)).join(''));
  // Destroy only once the first bytes are flushed, so the client really receives them.
  response.write(sent, () => hangUp(response));
}

/** Filler of an answer that never ends, written as fast as the client reads. */
const endlessFiller = Buffer.alloc(64 * 1024, 'a');

async function answerEndless(exchange: Exchange, afterEvents: number): Promise<void> {
  const response = exchange.response;
  startAnswer(exchange);
  if (exchange.stream) {
    const frames = allFrames(exchange.format.stream(answerContext(exchange, 5)));
    response.write(`${frames.slice(0, afterEvents).join('')}data: {"text":"`);
  } else response.write('{"id":"endless","text":"');
  while (!isGone(response)) {
    if (!response.write(endlessFiller)) await drainedOrClosed(response);
  }
}

function drainedOrClosed(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.once('drain', done);
    response.once('close', done);
  });
}

/** The whole answer as it would be sent: the JSON text, or every stream frame. */
function wholeAnswer(exchange: Exchange): string {
  const context = answerContext(exchange, 5);
  return exchange.stream
    ? allFrames(exchange.format.stream(context)).join('')
    : JSON.stringify(exchange.format.json(context));
}

/** A 200's head as the answer would carry it, flushed at once. */
function startAnswer(exchange: Exchange): void {
  if (exchange.stream) startEventStream(exchange.response);
  else exchange.response.writeHead(200, { 'content-type': 'application/json' });
  exchange.response.flushHeaders();
}

function answerReset(exchange: Exchange, at: FaultPoint): void {
  const response = exchange.response;
  if (at === 'connect') {
    hangUp(response);
    return;
  }
  startAnswer(exchange);
  if (at === 'headers') {
    // Give the head a moment on the wire, so the client sees it before the reset.
    setImmediate(() => hangUp(response));
    return;
  }
  const whole = wholeAnswer(exchange);
  const part = exchange.stream
    ? allFrames(exchange.format.stream(answerContext(exchange, 5)))
        .slice(0, 4)
        .join('')
    : whole.slice(0, whole.length >> 1);
  response.write(part, () => hangUp(response));
}

async function answerStall(exchange: Exchange, at: 'headers' | 'body'): Promise<void> {
  const response = exchange.response;
  if (at === 'body') {
    startAnswer(exchange);
    // A stream stalls before its first event (a comment only); a plain answer halfway through its JSON.
    const whole = wholeAnswer(exchange);
    response.write(exchange.stream ? ': waiting\n\n' : whole.slice(0, whole.length >> 1));
  }
  await waitUntilClosed(response);
}

function answerMalformed(exchange: Exchange): void {
  const response = exchange.response;
  if (!exchange.stream) {
    const text = '{"id":"broken","content":[{"type":"text","text":"Hel';
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    response.end(text);
    return;
  }
  startEventStream(response);
  response.end('data: {"type":"content_block_delta","delta":{"text":"Hel\n\n');
}

/** Answers one generate request as `step` says. */
export async function answerStep(exchange: Exchange, step: Step): Promise<void> {
  const response = exchange.response;
  switch (step.kind) {
    case 'ok':
      await waitWhileOpen(response, step.delayMs ?? 0);
      if (isGone(response)) return;
      return answerOk(exchange, step.streamEvents ?? 5, step.holdOpenMs ?? 0, undefined, step.headers);
    case 'tool-call':
      return answerOk(exchange, 5, 0, buildToolCall(exchange.body, step.name, step.arguments));
    case 'slow':
      await waitWhileOpen(response, step.delayMs);
      if (isGone(response)) return;
      return answerOk(exchange, 5, 0);
    case 'rate-limit': {
      const now = exchange.clock.now();
      const details = {
        style: step.style,
        resetSeconds: step.resetSeconds,
        quota: step.quota ?? false,
        resetAtSeconds: Math.ceil((now + step.resetSeconds * 1000) / 1000),
      };
      const headers = { ...rateLimitHeaders(details, now), ...step.headers };
      sendJson(response, 429, exchange.format.rateLimitError(details), headers);
      return;
    }
    case 'payment':
      return sendError(exchange, 402, 'payment', 'Your credit balance is too low to access this API.');
    case 'unauthorized':
      if (exchange.route.codex) {
        sendJson(response, 401, codexAuthError('token_invalidated'));
        return;
      }
      return sendError(exchange, 401, 'authentication', 'Invalid authentication credentials.');
    case 'server-error': {
      const status = step.status ?? 500;
      const overloaded = status === 529 || status === 503;
      return sendError(
        exchange,
        status,
        overloaded ? 'overloaded' : 'server',
        overloaded ? 'Overloaded' : 'Internal server error',
      );
    }
    case 'stream-cut':
      if (!exchange.stream) return sendError(exchange, 500, 'server', 'Internal server error');
      return answerStreamCut(exchange, step);
    case 'stream-error':
      if (!exchange.stream) return sendError(exchange, 500, 'server', 'Internal server error');
      startEventStream(response);
      response.end(exchange.format.streamError(step.errorType));
      return;
    case 'reset':
      return answerReset(exchange, step.at);
    case 'stall':
      return answerStall(exchange, step.at);
    case 'malformed':
      return answerMalformed(exchange);
    case 'endless':
      return answerEndless(exchange, step.afterEvents ?? 0);
  }
}
