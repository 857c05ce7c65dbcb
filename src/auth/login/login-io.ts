/** What a login flow needs from the outside world; the CLI passes the terminal's, tests their own. */
export interface LoginIo {
  /** A line for the user: the URL, the code, what happens next. Never a token. */
  say(text: string): void;
  /** Shows a waiting indicator until the returned function is called. */
  wait(text: string): () => void;
  /** Opens the URL in the user's browser; skipped when the user asked for --no-browser. */
  openBrowser(url: string): Promise<void>;
  /** One line typed by the user (the pasted `code#state`). */
  readLine(signal: AbortSignal): Promise<string>;
  /** Device flows wait between polls; tests pass one that returns at once (or moves a clock). */
  sleep(milliseconds: number, signal: AbortSignal): Promise<void>;
  /** Unix milliseconds, for expiry times. */
  now(): number;
  fetch: typeof fetch;
}

/** What every flow is given besides its provider's settings. */
export interface LoginContext {
  io: LoginIo;
  /** Aborts when the user's --timeout passes. */
  signal: AbortSignal;
  /** For messages: how long the user allowed. */
  timeoutSeconds: number;
}
