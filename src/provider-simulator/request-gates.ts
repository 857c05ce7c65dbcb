import type { IncomingHttpHeaders } from 'node:http';
import type { Account } from './accounts.js';
import type { FailureKind } from './formats/format.js';
import type { ApiRoute } from './routes.js';

/** The system prompt that Anthropic demands first in requests made with a Claude OAuth token. */
export const claudeCodeIdentity = "You are Claude Code, Anthropic's official CLI for Claude.";
export const oauthBeta = 'oauth-2025-04-20';

/** Why a request is refused before any scripted step runs. */
export interface GateRefusal {
  status: number;
  kind: FailureKind;
  message: string;
}

function firstSystemText(system: unknown): string | undefined {
  if (typeof system === 'string') return system;
  if (Array.isArray(system)) {
    const first: unknown = system[0];
    if (typeof first === 'object' && first !== null && 'text' in first && typeof first.text === 'string') {
      return first.text;
    }
  }
  return undefined;
}

function hasBeta(headers: IncomingHttpHeaders, beta: string): boolean {
  const value = headers['anthropic-beta'];
  if (value === undefined) return false;
  const joined = Array.isArray(value) ? value.join(',') : value;
  return joined.split(',').some((entry) => entry.trim() === beta);
}

/**
 * Provider rules that refuse a request whatever the script says: Anthropic OAuth tokens only
 * for Claude Code-like requests; the Codex backend only with the token's own ChatGPT account.
 * @see https://docs.anthropic.com/en/docs/claude-code (OAuth restriction, observed behaviour)
 */
export function refuseRequest(
  route: ApiRoute,
  account: Account,
  oauth: boolean,
  headers: IncomingHttpHeaders,
  body: Record<string, unknown>,
): GateRefusal | undefined {
  if (route.format === 'anthropic' && route.action === 'generate' && oauth) {
    if (!hasBeta(headers, oauthBeta) || firstSystemText(body.system) !== claudeCodeIdentity) {
      return {
        status: 400,
        kind: 'invalid-request',
        message:
          'This credential is only authorized for use with Claude Code and cannot be used for other API requests.',
      };
    }
  }
  if (route.codex && headers['chatgpt-account-id'] !== account.accountId) {
    return {
      status: 400,
      kind: 'invalid-request',
      message: "The chatgpt-account-id header is missing or does not match the access token's account.",
    };
  }
  if (route.codeAssist && (typeof body.request !== 'object' || body.request === null)) {
    return {
      status: 400,
      kind: 'invalid-request',
      message: 'Code Assist requests are wrapped as {model, project, request}; `request` is missing.',
    };
  }
  return undefined;
}
