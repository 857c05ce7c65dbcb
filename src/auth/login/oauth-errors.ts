import * as oauth from 'oauth4webapi';
import { LoginDeniedError } from './login-denied-error.js';
import { LoginFailedError } from './login-failed-error.js';
import type { LoginContext } from './login-io.js';
import { LoginTimeoutError } from './login-timeout-error.js';

/** Codes go into messages: only short code-like strings, never an echoed body. */
function code(value: string | undefined): string {
  return value !== undefined && /^[A-Za-z0-9_.:-]{1,64}$/.test(value) ? value : 'unknown_error';
}

/**
 * Turns what oauth4webapi, fetch or an abort threw into one of the three login errors, with
 * the cause kept and nothing of a token or code in the message.
 */
export function loginError(provider: string, error: unknown, context: LoginContext): Error {
  if (error instanceof LoginDeniedError || error instanceof LoginFailedError || error instanceof LoginTimeoutError)
    return error;
  if (context.signal.aborted) return new LoginTimeoutError(provider, 'timeout', context.timeoutSeconds);
  if (error instanceof oauth.AuthorizationResponseError || error instanceof oauth.ResponseBodyError) {
    const errorCode = code(error.error);
    if (errorCode === 'access_denied') return new LoginDeniedError(provider, errorCode);
    if (errorCode === 'expired_token') return new LoginTimeoutError(provider, 'code-expired', context.timeoutSeconds);
    const where =
      error instanceof oauth.ResponseBodyError
        ? `the token endpoint answered ${error.status} ${errorCode}`
        : `the provider answered ${errorCode}`;
    return new LoginFailedError(
      provider,
      `${where}. Run the command again; if it keeps failing, check the OAuth ` +
        `settings of providers.${provider} in config.yaml.`,
      { cause: error },
    );
  }
  if (error instanceof oauth.OperationProcessingError) {
    return new LoginFailedError(provider, `the provider's answer was not usable (${error.message}).`, { cause: error });
  }
  if (error instanceof TypeError && error.message === 'fetch failed') {
    return new LoginFailedError(
      provider,
      'the OAuth endpoint could not be reached; check the network (or the URLs in config.yaml).',
      { cause: error },
    );
  }
  return new LoginFailedError(provider, error instanceof Error ? error.message : String(error), { cause: error });
}
