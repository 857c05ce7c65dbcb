import type { ErrorFields } from '../../formats/error-body.js';
import { hasErrorCode } from '../error-code.js';
import { isRevokedOpenAiKey } from '../openai/revoked-token.js';

/**
 * Qwen's buckets are OAuth logins whose access tokens expire: a 403 naming an expired, revoked or
 * invalidated token means the login needs a refresh, as every provider read it before the readers
 * moved into provider folders. Undocumented for Qwen, so kept rather than dropped.
 */
const lostLoginCodes: ReadonlySet<string> = new Set(['token_expired', 'token_revoked', 'token_invalidated']);

/** A 403 that means the login or key is gone (refresh, then needs-login) rather than a forbidden request. */
export function isRevokedQwenLogin(error: ErrorFields | undefined): boolean {
  return hasErrorCode(error, lostLoginCodes) || isRevokedOpenAiKey(error);
}
