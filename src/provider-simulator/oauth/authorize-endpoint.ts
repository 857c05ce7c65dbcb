import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../http-io.js';
import type { GrantState } from './grant.js';
import { decisionForm, escapeHtml, redirect, sendHtml } from './html-page.js';
import type { Decision } from './login-book.js';

/** Where a login's code goes back to, with the error or code and the client's state. */
function redirectWith(redirectUri: string, parameters: Record<string, string>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(parameters)) url.searchParams.set(name, value);
  return url.href;
}

/**
 * `GET /oauth/authorize`: checks the request (client_id, redirect_uri, response_type=code,
 * PKCE S256, state) and shows the consent page. Until redirect_uri is trusted, errors are
 * pages; after, they go back to the client as `error=` (RFC 6749 section 4.1.2.1).
 */
export function handleAuthorize(query: URLSearchParams, response: ServerResponse, state: GrantState): void {
  const clientId = query.get('client_id') ?? undefined;
  const redirectUri = query.get('redirect_uri') ?? undefined;
  if (!state.logins.knowsClient(clientId)) {
    sendHtml(
      response,
      400,
      'Unknown client',
      `<p id="error">invalid_client: client_id ${escapeHtml(String(clientId ?? '(missing)'))} is not registered.</p>`,
    );
    return;
  }
  if (!state.logins.acceptsRedirect(redirectUri, state.baseUrl)) {
    sendHtml(
      response,
      400,
      'Invalid redirect',
      '<p id="error">invalid_request: redirect_uri must be a loopback http URL or the provider\'s code page.</p>',
    );
    return;
  }
  const clientState = query.get('state') ?? undefined;
  const fail = (error: string, description: string): void =>
    redirect(
      response,
      redirectWith(redirectUri, {
        error,
        error_description: description,
        ...(clientState ? { state: clientState } : {}),
      }),
    );
  if (query.get('response_type') !== 'code') {
    fail('unsupported_response_type', 'response_type must be code.');
    return;
  }
  const challenge = query.get('code_challenge') ?? undefined;
  if (!state.logins.isS256(query.get('code_challenge_method') ?? undefined, challenge)) {
    fail('invalid_request', 'PKCE is required: code_challenge_method=S256 and a 43-character code_challenge.');
    return;
  }
  if (!clientState) {
    fail('invalid_request', 'state is required.');
    return;
  }
  const request = state.logins.addRequest({
    clientId,
    redirectUri,
    scope: query.get('scope') ?? '',
    state: clientState,
    codeChallenge: challenge,
  });
  sendHtml(
    response,
    200,
    'Authorize switchyard',
    `<p>Client ${escapeHtml(clientId)} asks for: ` +
      `${escapeHtml(request.scope)}</p>${decisionForm('/oauth/consent', { request: request.id })}`,
  );
}

/** `POST /oauth/consent`: the user's decision; redirects to the client with a code or `access_denied`. */
export async function handleConsent(
  request: IncomingMessage,
  response: ServerResponse,
  state: GrantState,
): Promise<void> {
  const form = new URLSearchParams((await readBody(request)).toString());
  const decision = readDecision(form.get('decision'));
  const account = form.get('account') ?? '';
  if (decision === undefined || (decision === 'approve' && account === '')) {
    sendHtml(
      response,
      400,
      'Incomplete form',
      '<p id="error">Choose approve or deny, and name the account to log in as.</p>',
    );
    return;
  }
  const decided = state.logins.decide(form.get('request') ?? '', decision, account);
  if (!decided) {
    sendHtml(
      response,
      400,
      'Unknown request',
      '<p id="error">This login request is unknown or was already answered; start the login again.</p>',
    );
    return;
  }
  const { request: authorization, code } = decided;
  redirect(
    response,
    code === undefined
      ? redirectWith(authorization.redirectUri, {
          error: 'access_denied',
          error_description: 'The user denied the request.',
          state: authorization.state,
        })
      : redirectWith(authorization.redirectUri, { code, state: authorization.state }),
  );
}

/** `GET /oauth/code/callback`: Anthropic's code page, showing `code#state` for the user to paste. */
export function handleCodePage(query: URLSearchParams, response: ServerResponse): void {
  const error = query.get('error');
  if (error) {
    sendHtml(
      response,
      400,
      'Authorization failed',
      `<p id="error">${escapeHtml(error)}: ${escapeHtml(query.get('error_description') ?? '')}</p>`,
    );
    return;
  }
  const code = query.get('code') ?? '';
  const clientState = query.get('state') ?? '';
  sendHtml(
    response,
    200,
    'Authentication code',
    `<p>Paste this code into the application:</p><code ` +
      `id="authorization-code">${escapeHtml(`${code}#${clientState}`)}</code>`,
  );
}

export function readDecision(value: string | null): Decision | undefined {
  return value === 'approve' || value === 'deny' ? value : undefined;
}
