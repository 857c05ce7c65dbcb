import type { WireFormat } from '../core/types.js';

/**
 * The one error type handlers throw; the error boundary (error-boundary.ts) writes it in the
 * caller's own API format (or plain JSON for switchyard's own routes).
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
}
