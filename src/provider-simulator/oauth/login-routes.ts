import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LoginRouteName } from '../routes.js';
import { handleAuthorize, handleCodePage, handleConsent } from './authorize-endpoint.js';
import {
  handleCodexDevicePoll,
  handleCodexUserCode,
  handleDeviceAuthorization,
  handleVerificationDecision,
  handleVerificationPage,
} from './device-endpoints.js';
import type { GrantState } from './grant.js';

/** Dispatches the login routes (authorize, consent, code page, device flows). */
export async function handleLoginRoute(
  name: LoginRouteName,
  request: IncomingMessage,
  response: ServerResponse,
  query: URLSearchParams | undefined,
  state: GrantState,
): Promise<void> {
  const parameters = query ?? new URLSearchParams();
  switch (name) {
    case 'authorize':
      request.resume();
      return handleAuthorize(parameters, response, state);
    case 'consent':
      return handleConsent(request, response, state);
    case 'code-page':
      request.resume();
      return handleCodePage(parameters, response);
    case 'device-authorization':
      return handleDeviceAuthorization(request, response, state);
    case 'codex-user-code':
      return handleCodexUserCode(request, response, state);
    case 'codex-device-poll':
      return handleCodexDevicePoll(request, response, state);
    case 'verification-page':
      request.resume();
      return handleVerificationPage(parameters, response, state);
    case 'verification-decision':
      return handleVerificationDecision(request, response, state);
  }
}
