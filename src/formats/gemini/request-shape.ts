import type { RequestShape } from '../types.js';

/** Gemini names the model and streaming in the path (`models/{model}:streamGenerateContent`), not the body. */
export function readRequestShape(
  _body: Record<string, unknown>,
  pathModel: string | undefined,
  pathStreams: boolean,
): RequestShape {
  return { model: pathModel, stream: pathStreams };
}
