import type { FailureKind, RateLimitDetails } from './format.js';

/**
 * Error bodies shared by Chat Completions and Responses (and Qwen and Codex, which copy them).
 * @see https://platform.openai.com/docs/guides/error-codes
 */

const errorShapes: Record<FailureKind, { type: string; code: string | null }> = {
  'invalid-request': { type: 'invalid_request_error', code: null },
  authentication: { type: 'invalid_request_error', code: 'invalid_api_key' },
  permission: { type: 'invalid_request_error', code: 'permission_denied' },
  'not-found': { type: 'invalid_request_error', code: 'not_found' },
  payment: { type: 'insufficient_quota', code: 'insufficient_quota' },
  server: { type: 'server_error', code: null },
  overloaded: { type: 'server_error', code: 'overloaded' },
};

/** `{"error":{"message","type","param","code"}}` for a failure kind. */
export function openAiError(kind: FailureKind, message: string): Record<string, unknown> {
  const shape = errorShapes[kind];
  return { error: { message, type: shape.type, param: null, code: shape.code } };
}

/** A 429 body: Codex's usage_limit_reached, or OpenAI's requests / insufficient_quota. */
export function openAiRateLimitError(details: RateLimitDetails): Record<string, unknown> {
  if (details.style === 'codex' || details.style === 'codex-body') {
    return {
      error: {
        type: 'usage_limit_reached',
        message: 'The usage limit has been reached',
        plan_type: 'plus',
        resets_at: details.resetAtSeconds,
        resets_in_seconds: Math.ceil(details.resetSeconds),
      },
    };
  }
  if (details.quota) {
    return {
      error: {
        message: 'You exceeded your current quota, please check your plan and billing details.',
        type: 'insufficient_quota',
        param: null,
        code: 'insufficient_quota',
      },
    };
  }
  return {
    error: {
      message: 'Rate limit reached for requests. Please try again later.',
      type: 'requests',
      param: null,
      code: 'rate_limit_exceeded',
    },
  };
}

/** Codex's answer to an unknown, expired or invalidated ChatGPT access token. */
export function codexAuthError(code: 'token_expired' | 'token_invalidated'): Record<string, unknown> {
  const message =
    code === 'token_expired'
      ? 'Provided authentication token is expired. Please try signing in again.'
      : 'Your authentication token has been invalidated. Please try signing in again.';
  return { error: { code, message, type: 'invalid_request_error', param: null } };
}
