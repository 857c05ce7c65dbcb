import { type ErrorFields, textField } from '../../formats/error-body.js';
import { hasErrorCode } from '../error-code.js';

/**
 * Anthropic's code for a credential it no longer accepts.
 * @see https://docs.anthropic.com/en/api/errors#http-errors
 */
const lostCredentialCodes: ReadonlySet<string> = new Set(['authentication_error']);

/**
 * Anthropic answers a revoked OAuth token with a 403 `permission_error`; its type alone does not
 * tell it from "not allowed", so the documented sentence decides, as Claude Code itself does.
 */
const anthropicRevokedMessage = 'OAuth token has been revoked';

/** An Anthropic 403 that means the login is gone (refresh, then needs-login) rather than a forbidden request. */
export function isRevokedAnthropicToken(error: ErrorFields | undefined): boolean {
  if (hasErrorCode(error, lostCredentialCodes)) return true;
  if (textField(error, 'type') !== 'permission_error') return false;
  return (textField(error, 'message') ?? '').includes(anthropicRevokedMessage);
}
