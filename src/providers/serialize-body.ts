import type { OutgoingRequestInput } from './types.js';

/**
 * The upstream body: the client's own bytes when the provider left the body untouched (no re-serialising on the hot
 * path).
 */
export function serializeBody(input: OutgoingRequestInput, body: Record<string, unknown>): string {
  return body === input.body ? input.rawBody : JSON.stringify(body);
}
