import pRetry from 'p-retry';
import { parseJson } from '../core/json.js';
import type { ProviderName } from '../core/types.js';
import type { OAuthSettings } from '../providers/types.js';
import { NeedsLoginError } from './needs-login-error.js';
import { encodeTokenRequest, refreshParameters } from './refresh-body.js';
import { RefreshFailedError } from './refresh-failed-error.js';
import { type TokenAnswer, tokenAnswerSchema } from './token-answer.js';

/** Bounded retry of network errors, 429 and 5xx; small so a dead endpoint fails fast. */
export interface RefreshRetryOptions {
  retries: number;
  /** Milliseconds before the first retry (0 in tests). */
  minTimeout: number;
  maxTimeout: number;
}

export const defaultRefreshRetry: RefreshRetryOptions = { retries: 2, minTimeout: 250, maxTimeout: 2_000 };

export interface RefreshRequestInput {
  provider: ProviderName;
  bucket: string;
  oauth: OAuthSettings | undefined;
  refreshToken: string;
  fetch: typeof fetch;
  retry: RefreshRetryOptions;
  /** Per attempt. */
  timeoutMs: number;
}

/**
 * Error codes that mean the refresh token itself is dead: sending it again cannot help and,
 * with rotating tokens, may get the whole login revoked.
 */
const rejectedRefreshCodes = new Set([
  'invalid_grant',
  'refresh_token_reused',
  'refresh_token_expired',
  'refresh_token_invalidated',
]);

/**
 * Exchanges a refresh token at the provider's token endpoint. Throws NeedsLoginError when the
 * refresh token is rejected (never retried), RefreshFailedError for everything else.
 */
export async function requestTokenRefresh(input: RefreshRequestInput): Promise<TokenAnswer> {
  const { provider, bucket, oauth } = input;
  if (oauth === undefined || oauth.tokenUrl === '') {
    throw new RefreshFailedError(provider, bucket, {
      url: oauth?.tokenUrl ?? '',
      errorCode: 'no_token_url',
      isRetryable: false,
    });
  }
  const { body, contentType } = encodeTokenRequest(
    refreshParameters(provider, oauth, input.refreshToken),
    oauth.tokenRequestEncoding,
  );
  const attempt = async (): Promise<TokenAnswer> => {
    let response: Response;
    let text: string;
    try {
      response = await input.fetch(oauth.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': contentType, accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(input.timeoutMs),
      });
      text = await response.text();
    } catch (cause) {
      throw new RefreshFailedError(provider, bucket, { url: oauth.tokenUrl, isRetryable: true, cause });
    }
    const json = parseJson(text);
    if (!response.ok) throw answerError(provider, bucket, oauth.tokenUrl, response.status, json);
    const answer = tokenAnswerSchema.safeParse(json);
    if (!answer.success) {
      throw new RefreshFailedError(provider, bucket, {
        url: oauth.tokenUrl,
        status: response.status,
        errorCode: 'malformed_token_answer',
        isRetryable: false,
      });
    }
    return answer.data;
  };
  return pRetry(attempt, {
    retries: input.retry.retries,
    minTimeout: input.retry.minTimeout,
    maxTimeout: input.retry.maxTimeout,
    factor: 2,
    randomize: true,
    shouldRetry: ({ error }) => error instanceof RefreshFailedError && error.isRetryable,
  });
}

function answerError(provider: ProviderName, bucket: string, url: string, status: number, json: unknown): Error {
  const errorCode = readErrorCode(json);
  if ((status === 400 || status === 401) && errorCode !== undefined && rejectedRefreshCodes.has(errorCode)) {
    return new NeedsLoginError(provider, bucket, 'refresh-rejected', { detail: errorCode });
  }
  const isRetryable = status === 408 || status === 429 || status >= 500;
  return new RefreshFailedError(provider, bucket, {
    url,
    status,
    ...(errorCode === undefined ? {} : { errorCode }),
    isRetryable,
  });
}

/** `{"error":"invalid_grant"}` (RFC 6749) or `{"error":{"code":"refresh_token_reused"}}` (OpenAI). */
function readErrorCode(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const error = (json as Record<string, unknown>).error;
  if (typeof error === 'string') return shortCode(error);
  if (typeof error === 'object' && error !== null) {
    const { code, type } = error as Record<string, unknown>;
    if (typeof code === 'string') return shortCode(code);
    if (typeof type === 'string') return shortCode(type);
  }
  return undefined;
}

/** Codes go into messages: keep them short and plainly a code, never a long echoed string. */
function shortCode(code: string): string | undefined {
  return /^[A-Za-z0-9_.:-]{1,64}$/.test(code) ? code : undefined;
}
