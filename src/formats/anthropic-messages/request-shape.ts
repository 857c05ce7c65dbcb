import type { RequestShape } from '../types.js';

/** Model and streaming from a Messages request body. */
export function readRequestShape(body: Record<string, unknown>): RequestShape {
  return {
    model: typeof body.model === 'string' && body.model !== '' ? body.model : undefined,
    stream: body.stream === true,
  };
}
