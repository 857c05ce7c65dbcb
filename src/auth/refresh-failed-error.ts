import type { ProviderName } from '../core/types.js';

export interface RefreshFailedErrorOptions {
  /** The token endpoint (or, for `lock_timeout`, the lock path), for the message; never carries a token. */
  url: string;
  /** HTTP status of the token endpoint's answer; undefined for network errors and timeouts. */
  status?: number;
  /**
   * The OAuth `error` (or codex `error.code`) from the answer; ours: `no_token_url`, `lock_timeout`,
   * `malformed_token_answer`.
   */
  errorCode?: string;
  /** Network errors, timeouts, 429 and 5xx are worth retrying later; other answers are not. */
  isRetryable: boolean;
  cause?: unknown;
}

/** A refresh that failed for a reason other than a rejected refresh token (which is NeedsLoginError). */
export class RefreshFailedError extends Error {
  override readonly name = 'RefreshFailedError';
  readonly url: string;
  readonly status: number | undefined;
  readonly errorCode: string | undefined;
  readonly isRetryable: boolean;

  constructor(
    readonly provider: ProviderName,
    readonly bucket: string,
    options: RefreshFailedErrorOptions,
  ) {
    super(
      refreshFailedMessage(provider, bucket, options),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.url = options.url;
    this.status = options.status;
    this.errorCode = options.errorCode;
    this.isRetryable = options.isRetryable;
  }
}

function refreshFailedMessage(provider: ProviderName, bucket: string, options: RefreshFailedErrorOptions): string {
  if (options.errorCode === 'lock_timeout') {
    return (
      `Refreshing the ${provider}/${bucket} token waited too long for ` +
      `${options.url}, held by another switchyard process; it will be tried ` +
      `again shortly (a lock left by a crashed process is taken over after 30 ` +
      `s).`
    );
  }
  if (options.errorCode === 'no_token_url') {
    return (
      `Cannot refresh the ${provider}/${bucket} token: ${provider} has no OAuth ` +
      `token endpoint; set providers.${provider}.tokenUrl in config.yaml, or ` +
      `run: switchyard auth ${provider} login ${bucket}.`
    );
  }
  const outcome =
    options.status === undefined
      ? `could not reach it (${describeCause(options.cause)})`
      : `answered ${options.status}${options.errorCode ? ` (${options.errorCode})` : ''}`;
  const advice = options.isRetryable
    ? `It will be tried again shortly; if this persists, check the network or ` +
      `providers.${provider}.tokenUrl in config.yaml.`
    : `Check providers.${provider}.tokenUrl and clientId in config.yaml, or ` +
      `run: switchyard auth ${provider} login ${bucket}.`;
  return `Refreshing the ${provider}/${bucket} token failed: POST ${options.url} ${outcome}. ${advice}`;
}

function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return 'network error';
  // undici wraps the useful part (ECONNREFUSED, timeout) in its own cause.
  const inner = cause.cause instanceof Error ? `: ${cause.cause.message}` : '';
  return `${cause.name === 'TimeoutError' ? 'timed out' : cause.message}${inner}`;
}
