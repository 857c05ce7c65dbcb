import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Account, AccountRegistry } from './accounts.js';
import { answerStep } from './answer-step.js';
import { estimateInputTokens } from './answer-text.js';
import { type CountsBook, unknownAccount } from './counts.js';
import { presentedCredential } from './credentials.js';
import { formatAnswers } from './formats/index.js';
import { codexAuthError } from './formats/openai-errors.js';
import { parseJsonObject, readBody, sendJson, wasHungUp } from './http-io.js';
import { modelsList } from './models-list.js';
import { anthropicPromptCache } from './prompt-cache.js';
import { refuseRequest } from './request-gates.js';
import type { ApiRoute } from './routes.js';
import type { SimulatorClock, Step } from './types.js';

/** What the API routes share: accounts, counters and the clock. */
export interface ApiState {
  registry: AccountRegistry;
  counts: CountsBook;
  clock: SimulatorClock;
}

const okStep: Step = { kind: 'ok' };

const authMessages = {
  unknown: 'Invalid authentication credentials.',
  expired: 'The access token has expired; refresh it.',
  revoked: 'The access token was revoked by a token refresh.',
};

/** Authenticates, counts and answers one provider API request. */
export async function handleApi(
  route: ApiRoute,
  request: IncomingMessage,
  response: ServerResponse,
  query: URLSearchParams | undefined,
  state: ApiState,
): Promise<void> {
  const format =
    route.action === 'models' && isAnthropicRequest(request) ? formatAnswers.anthropic : formatAnswers[route.format];
  const authentication = state.registry.authenticate(presentedCredential(format.format, request.headers, query));
  const accountName = authentication.status === 'unknown' ? unknownAccount : authentication.account.name;

  // Count once per request: the status when the head goes out, in-flight until it ends or breaks.
  state.counts.started(accountName);
  let settled = false;
  const settle = (): void => {
    if (settled) return;
    settled = true;
    if (response.headersSent) state.counts.status(accountName, response.statusCode);
    if (!response.writableEnded && !wasHungUp(response)) state.counts.aborted(accountName);
    state.counts.finished(accountName);
  };
  response.once('close', settle);

  try {
    const bodyBuffer = request.method === 'POST' ? await readBody(request) : Buffer.alloc(0);
    if (authentication.status !== 'ok') {
      if (route.codex) sendJson(response, 401, codexAuthError('token_expired'));
      else sendJson(response, 401, format.error(401, 'authentication', authMessages[authentication.status]));
      return;
    }
    const account = authentication.account;
    if (route.action === 'models') {
      sendJson(response, 200, modelsList(format.format === 'anthropic', Math.floor(state.clock.now() / 1000)));
      return;
    }
    const body = parseJsonObject(bodyBuffer);
    if (!body) {
      sendJson(response, 400, format.error(400, 'invalid-request', 'The request body is not a JSON object.'));
      return;
    }
    const refusal = refuseRequest(route, account, authentication.oauth, request.headers, body);
    if (refusal) {
      sendJson(response, refusal.status, format.error(refusal.status, refusal.kind, refusal.message));
      return;
    }
    if (route.action === 'count-tokens') {
      sendJson(response, 200, { input_tokens: estimateInputTokens(bodyBuffer.length) });
      return;
    }
    const scripted = account.steps.shift() ?? account.behavior ?? okStep;
    // A metered account spends its windows on each ok answer, and refuses once one is full.
    const model = typeof body.model === 'string' ? body.model : route.pathModel;
    const step = account.windows ? account.windows.stepFor(scripted, model) : scripted;
    await answerStep(
      {
        route,
        format,
        response,
        accountName,
        body,
        bodyBytes: bodyBuffer.length,
        promptCache: format.format === 'anthropic' ? anthropicPromptCache(body, cachedPrompts(account)) : undefined,
        stream: route.format === 'gemini' ? route.pathStream : body.stream === true,
        clock: state.clock,
      },
      step,
    );
  } finally {
    // A stream cut waits for its destroy; everything else has written its last byte by now.
    if (response.writableEnded) settle();
  }
}

/** The prompt prefixes an account has cached, made at its first use. */
function cachedPrompts(account: Account): Set<string> {
  account.cachedPrompts ??= new Set();
  return account.cachedPrompts;
}

function isAnthropicRequest(request: IncomingMessage): boolean {
  return request.headers['anthropic-version'] !== undefined || request.headers['x-api-key'] !== undefined;
}
