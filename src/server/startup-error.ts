/** A start-up that cannot go on, with the message `serve` prints (no stack: the user's to fix). */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}
