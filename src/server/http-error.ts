import type { WireFormat } from '../core/types.js';
import { renderError } from '../formats/index.js';

/**
 * The one error type handlers throw; `app.onError` renders it in the caller's own API format
 * (or plain JSON for switchyard's own routes).
 */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
    readonly format: WireFormat | undefined,
    readonly headers: Record<string, string> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  /** The body as the caller's API shapes errors. */
  render(): string {
    if (this.format) return renderError(this.format, { status: this.status, message: this.message, code: this.code });
    return JSON.stringify({ error: { message: this.message, code: this.code } });
  }
}
