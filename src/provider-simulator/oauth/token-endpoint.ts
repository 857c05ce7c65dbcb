import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseJsonObject, readBody, sendJson, waitWhileOpen } from '../http-io.js';
import { authorizationCodeGrant } from './authorization-code-grant.js';
import { deviceCodeGrant } from './device-code-grant.js';
import { type Grant, type GrantState, grantError } from './grant.js';
import { refreshTokenGrant } from './refresh-token-grant.js';

// One entry per grant type.
const grants: Record<string, Grant> = {
  refresh_token: refreshTokenGrant,
  authorization_code: authorizationCodeGrant,
  'urn:ietf:params:oauth:grant-type:device_code': deviceCodeGrant,
};

/** Token requests come JSON-encoded (Anthropic) or form-encoded (OpenAI, Google, Qwen). */
export function parameters(request: IncomingMessage, body: Buffer): Record<string, string> {
  const contentType = request.headers['content-type'] ?? '';
  const fields: Record<string, string> = {};
  if (contentType.includes('application/json')) {
    for (const [key, value] of Object.entries(parseJsonObject(body) ?? {})) {
      if (typeof value === 'string' || typeof value === 'number') fields[key] = String(value);
    }
    return fields;
  }
  for (const [key, value] of new URLSearchParams(body.toString())) fields[key] = value;
  return fields;
}

/** `POST /oauth/token`: dispatches on `grant_type`. */
export async function handleTokenRequest(
  request: IncomingMessage,
  response: ServerResponse,
  state: GrantState,
): Promise<void> {
  const fields = parameters(request, await readBody(request));
  const grantType = fields.grant_type ?? '';
  const grant = grants[grantType];
  const answer = grant
    ? grant(fields, state)
    : grantError('unsupported_grant_type', `grant_type \`${grantType}\` is not supported by the simulator.`);
  await waitWhileOpen(response, answer.delayMs);
  sendJson(response, answer.status, answer.body, { 'cache-control': 'no-store' });
}
