/** The login did not complete in time: the --timeout passed, or the device code expired. */
export class LoginTimeoutError extends Error {
  override readonly name = 'LoginTimeoutError';
  constructor(
    readonly provider: string,
    readonly reason: 'timeout' | 'code-expired',
    seconds: number,
  ) {
    super(
      reason === 'timeout'
        ? `Login to ${provider} timed out after ${seconds} s without an answer from ` +
            `the browser; nothing was stored. Run the command again, or allow more ` +
            `time with --timeout SECONDS.`
        : `Login to ${provider} failed: the device code expired before it was ` +
            `approved; nothing was stored. Run the command again and approve within ` +
            `the time shown.`,
    );
  }
}
