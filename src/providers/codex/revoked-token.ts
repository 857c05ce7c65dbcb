import type { ErrorFields } from '../../formats/error-body.js';
import { hasErrorCode } from '../error-code.js';
import { isRevokedOpenAiKey } from '../openai/revoked-token.js';

/**
 * Codex's codes for a ChatGPT login it no longer accepts.
 * @see https://github.com/openai/codex/blob/main/codex-rs/core/src/error.rs
 */
const lostLoginCodes: ReadonlySet<string> = new Set(['token_invalidated', 'token_expired', 'token_revoked']);

/**
 * A 403 that means the login is gone (refresh, then needs-login) rather than a forbidden request;
 * a Codex bucket on an OpenAI API key is answered as OpenAI answers it.
 */
export function isRevokedCodexLogin(error: ErrorFields | undefined): boolean {
  return hasErrorCode(error, lostLoginCodes) || isRevokedOpenAiKey(error);
}
