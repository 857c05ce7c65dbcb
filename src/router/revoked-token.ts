import type { ProviderName } from '../core/types.js';
import { textField, type ErrorFields } from '../formats/error-body.js';

/**
 * Codes that mean the credential itself is no longer accepted: Codex's `token_invalidated` /
 * `token_expired`, OpenAI's `invalid_api_key`, Anthropic's `authentication_error`.
 * @see https://github.com/openai/codex/blob/main/codex-rs/core/src/error.rs
 * @see https://docs.anthropic.com/en/api/errors#http-errors
 */
const lostCredentialCodes = new Set(['token_invalidated', 'token_expired', 'token_revoked', 'invalid_api_key', 'authentication_error']);

/**
 * Anthropic answers a revoked OAuth token with a 403 `permission_error`; its type alone does not
 * tell it from "not allowed", so the documented sentence decides, as Claude Code itself does.
 */
const anthropicRevokedMessage = 'OAuth token has been revoked';

/** A 403 that means the login is gone (refresh, then needs-login) rather than a forbidden request. */
export function isRevokedToken(provider: ProviderName, error: ErrorFields | undefined): boolean {
  if (lostCredentialCodes.has(textField(error, 'code') ?? '') || lostCredentialCodes.has(textField(error, 'type') ?? '')) return true;
  // Google's canonical code for a missing, expired or invalid token.
  // @see https://cloud.google.com/apis/design/errors#handling_errors
  if (textField(error, 'status') === 'UNAUTHENTICATED') return true;
  return provider === 'anthropic' && textField(error, 'type') === 'permission_error' && (textField(error, 'message') ?? '').includes(anthropicRevokedMessage);
}
