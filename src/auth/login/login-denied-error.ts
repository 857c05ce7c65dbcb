/** The user (or the provider) refused the login: nothing was stored. */
export class LoginDeniedError extends Error {
  override readonly name = 'LoginDeniedError';
  constructor(
    readonly provider: string,
    /** The OAuth error code, e.g. `access_denied`. */
    readonly errorCode: string,
  ) {
    super(
      `Login to ${provider} was denied (${errorCode}): nothing was stored. ` +
        `Approve the request in the browser to log in.`,
    );
  }
}
