/** A login that failed for any other reason: a refused code, an unreachable or odd endpoint. */
export class LoginFailedError extends Error {
  override readonly name = 'LoginFailedError';
  constructor(provider: string, detail: string, options?: { cause?: unknown }) {
    super(`Login to ${provider} failed: ${detail}`, options);
  }
}
