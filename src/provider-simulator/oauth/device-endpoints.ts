import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseJsonObject, readBody, sendJson } from '../http-io.js';
import { readDecision } from './authorize-endpoint.js';
import type { GrantState } from './grant.js';
import { decisionForm, sendHtml } from './html-page.js';
import type { DevicePoll } from './login-book.js';
import { parameters } from './token-endpoint.js';

/**
 * `POST /api/v1/oauth2/device/code` (Qwen, RFC 8628 with PKCE): a device code, a user code
 * and where to enter it.
 * @see https://datatracker.ietf.org/doc/html/rfc8628#section-3.2
 */
export async function handleDeviceAuthorization(
  request: IncomingMessage,
  response: ServerResponse,
  state: GrantState,
): Promise<void> {
  const fields = parameters(request, await readBody(request));
  const clientId = fields.client_id;
  if (!state.logins.knowsClient(clientId)) {
    sendJson(response, 400, { error: 'invalid_client', error_description: 'client_id is missing or not registered.' });
    return;
  }
  const challenge = fields.code_challenge;
  if (challenge !== undefined && !state.logins.isS256(fields.code_challenge_method, challenge)) {
    sendJson(response, 400, {
      error: 'invalid_request',
      error_description: 'code_challenge_method must be S256 with a 43-character code_challenge.',
    });
    return;
  }
  const device = state.logins.startDevice('rfc8628', clientId, fields.scope ?? '', challenge);
  sendJson(
    response,
    200,
    {
      device_code: device.deviceCode,
      user_code: device.userCode,
      verification_uri: `${state.baseUrl}/device`,
      verification_uri_complete: `${state.baseUrl}/device?user_code=${encodeURIComponent(device.userCode)}`,
      expires_in: Math.round((device.expiresAt - state.clock.now()) / 1000),
      interval: device.intervalSeconds,
    },
    { 'cache-control': 'no-store' },
  );
}

/**
 * `POST /api/accounts/deviceauth/usercode` (Codex): JSON `{client_id}` in, `{device_auth_id, user_code, interval}` out.
 */
export async function handleCodexUserCode(
  request: IncomingMessage,
  response: ServerResponse,
  state: GrantState,
): Promise<void> {
  const body = parseJsonObject(await readBody(request)) ?? {};
  const clientId = typeof body.client_id === 'string' ? body.client_id : undefined;
  if (!state.logins.knowsClient(clientId)) {
    sendJson(response, 400, { error: { code: 'invalid_client', message: 'client_id is missing or not registered.' } });
    return;
  }
  const device = state.logins.startDevice('codex', clientId, 'openid profile email offline_access', undefined);
  // Codex's server sends the interval as a string; its client parses it.
  sendJson(response, 200, {
    device_auth_id: device.deviceCode,
    user_code: device.userCode,
    interval: String(device.intervalSeconds),
  });
}

/** How Codex's poll endpoint answers each state: 403 pending (as the real one), then distinct codes. */
const codexPollStatus: Record<Exclude<DevicePoll, { kind: 'approved' }>['error'], number> = {
  authorization_pending: 403,
  slow_down: 429,
  access_denied: 400,
  expired_token: 410,
  invalid_grant: 400,
  invalid_client: 400,
};

/**
 * `POST /api/accounts/deviceauth/token` (Codex): once approved, an authorization code with the
 * PKCE pair the server made; the client redeems it at `/oauth/token` with redirect_uri
 * `<issuer>/deviceauth/callback`.
 */
export async function handleCodexDevicePoll(
  request: IncomingMessage,
  response: ServerResponse,
  state: GrantState,
): Promise<void> {
  const body = parseJsonObject(await readBody(request)) ?? {};
  const deviceAuthId = typeof body.device_auth_id === 'string' ? body.device_auth_id : undefined;
  const device = state.logins.deviceByUserCode(typeof body.user_code === 'string' ? body.user_code : undefined);
  if (device?.style !== 'codex' || device.deviceCode !== deviceAuthId) {
    sendJson(response, 400, { error: { code: 'invalid_grant', message: 'Unknown device_auth_id or user_code.' } });
    return;
  }
  const poll = state.logins.pollDevice(deviceAuthId, device.clientId, undefined);
  if (poll.kind === 'error') {
    sendJson(response, codexPollStatus[poll.error], { error: { code: poll.error, message: poll.description } });
    return;
  }
  const verifier = randomBytes(48).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const code = state.logins.issueCode(
    poll.account,
    device.clientId,
    `${state.baseUrl}/deviceauth/callback`,
    device.scope,
    challenge,
    undefined,
  );
  sendJson(response, 200, { authorization_code: code, code_challenge: challenge, code_verifier: verifier });
}

/** `GET /device` and `GET /codex/device`: where the user enters (or confirms) the code. */
export function handleVerificationPage(query: URLSearchParams, response: ServerResponse, state: GrantState): void {
  const code = query.get('user_code') ?? undefined;
  const device = state.logins.deviceByUserCode(code);
  if (code !== undefined && !device) {
    sendHtml(response, 400, 'Unknown code', '<p id="error">That code is unknown or has expired.</p>');
    return;
  }
  sendHtml(
    response,
    200,
    'Connect a device',
    `<p>Confirm the code shown by the device.</p>${decisionForm('/device', { user_code: device?.userCode ?? '' })}`,
  );
}

/** `POST /device`: the user's decision on a device code. */
export async function handleVerificationDecision(
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
  if (!state.logins.decideDevice(form.get('user_code') ?? undefined, decision, account)) {
    sendHtml(response, 400, 'Unknown code', '<p id="error">That code is unknown, expired or already answered.</p>');
    return;
  }
  sendHtml(
    response,
    200,
    decision === 'approve' ? 'Device connected' : 'Device refused',
    `<p id="result">${decision === 'approve' ? 'approved' : 'denied'}</p>`,
  );
}
