import type { ProviderName } from '../core/types.js';

/** Why a bucket cannot be used until someone logs in (or sets a key) again. */
export type NeedsLoginReason =
  | 'no-credentials'
  | 'marked'
  | 'no-refresh-token'
  | 'refresh-rejected'
  | 'missing-key'
  | 'key-rejected';

export interface NeedsLoginErrorOptions {
  /** The environment variable an API-key bucket reads (missing-key, key-rejected). */
  variable?: string;
  /** Short machine-readable detail, e.g. the persisted needs_login reason or `invalid_grant`. */
  detail?: string;
  cause?: unknown;
}

/** A bucket has no usable login; the message says which command (or variable) fixes it. */
export class NeedsLoginError extends Error {
  override readonly name = 'NeedsLoginError';
  readonly variable: string | undefined;
  readonly detail: string | undefined;

  constructor(
    readonly provider: ProviderName,
    readonly bucket: string,
    readonly reason: NeedsLoginReason,
    options: NeedsLoginErrorOptions = {},
  ) {
    super(
      needsLoginMessage(provider, bucket, reason, options),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.variable = options.variable;
    this.detail = options.detail;
  }
}

function needsLoginMessage(
  provider: ProviderName,
  bucket: string,
  reason: NeedsLoginReason,
  options: NeedsLoginErrorOptions,
): string {
  const key = `${provider}/${bucket}`;
  const login = `run: switchyard auth ${provider} login ${bucket}`;
  const variable = options.variable ?? 'the configured variable';
  switch (reason) {
    case 'no-credentials':
      // OpenAI's API platform has no login to run: its buckets are API keys.
      if (provider === 'openai')
        return `${key} has no API key set up; run: switchyard auth openai key ${bucket} --env OPENAI_API_KEY.`;
      return `${key} has no stored login; ${login} (or: switchyard auth ${provider} import ${bucket} --from FILE).`;
    case 'marked':
      return `${key} needs a new login (${options.detail ?? 'marked as needing login'}); ${login}.`;
    case 'no-refresh-token':
      return `${key} has an expired or rejected access token and no refresh token; ${login}.`;
    case 'refresh-rejected':
      return (
        `${key} refresh token was rejected (${options.detail ?? 'invalid_grant'}) ` +
        `and will not be sent again; ${login}.`
      );
    case 'missing-key':
      return (
        `${key} reads its API key from ${variable}, which is not set; set ${variable} ` +
        `in switchyard's environment, or run: switchyard auth ${provider} key ${bucket} ` +
        `--env OTHER_VARIABLE.`
      );
    case 'key-rejected':
      return (
        `${key} API key from ${variable} was rejected by ${provider}; put a valid ` +
        `key in ${variable}, or run: switchyard auth ${provider} key ${bucket} ` +
        `--env OTHER_VARIABLE.`
      );
  }
}
