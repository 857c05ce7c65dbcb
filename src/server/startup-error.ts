/** A start-up that cannot go on, in words that say the fix; `serve` prints it without a stack. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}
