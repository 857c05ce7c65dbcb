import type { Codec } from '../codec.js';
import { decodeError } from '../decode-error.js';
import { decodeResponsesRequest } from './decode-request.js';
import { decodeResponsesResponse } from './decode-response.js';
import { createResponsesStreamDecoder } from './decode-stream.js';
import { encodeResponsesRequest } from './encode-request.js';
import { encodeResponsesResponse } from './encode-response.js';
import { createResponsesStreamEncoder } from './encode-stream.js';

/** OpenAI Responses to and from the internal form. */
export const responsesCodec: Codec = {
  decodeRequest: decodeResponsesRequest,
  encodeRequest: encodeResponsesRequest,
  decodeResponse: decodeResponsesResponse,
  encodeResponse: encodeResponsesResponse,
  createStreamDecoder: createResponsesStreamDecoder,
  createStreamEncoder: createResponsesStreamEncoder,
  decodeError,
};
