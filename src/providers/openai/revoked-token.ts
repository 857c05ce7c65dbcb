import type { ErrorFields } from '../../formats/error-body.js';
import { hasErrorCode } from '../error-code.js';

/**
 * OpenAI's code for an API key it no longer accepts; OpenAI-compatible providers (Qwen) use it too.
 * @see https://platform.openai.com/docs/guides/error-codes#api-errors
 */
const lostCredentialCodes: ReadonlySet<string> = new Set(['invalid_api_key']);

/** A 403 that means the key is gone (then needs-login) rather than a forbidden request. */
export function isRevokedOpenAiKey(error: ErrorFields | undefined): boolean {
  return hasErrorCode(error, lostCredentialCodes);
}
