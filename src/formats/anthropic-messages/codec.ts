import type { Codec } from '../codec.js';
import { decodeError } from '../decode-error.js';
import { decodeAnthropicRequest } from './decode-request.js';
import { decodeAnthropicResponse } from './decode-response.js';
import { createAnthropicStreamDecoder } from './decode-stream.js';
import { encodeAnthropicRequest } from './encode-request.js';
import { encodeAnthropicResponse } from './encode-response.js';
import { createAnthropicStreamEncoder } from './encode-stream.js';

/** Anthropic Messages to and from the internal form. */
export const anthropicCodec: Codec = {
  decodeRequest: decodeAnthropicRequest,
  encodeRequest: encodeAnthropicRequest,
  decodeResponse: decodeAnthropicResponse,
  encodeResponse: encodeAnthropicResponse,
  createStreamDecoder: createAnthropicStreamDecoder,
  createStreamEncoder: createAnthropicStreamEncoder,
  decodeError,
};
