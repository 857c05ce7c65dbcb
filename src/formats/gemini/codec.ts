import type { Codec } from '../codec.js';
import { decodeError } from '../decode-error.js';
import { decodeGeminiRequest } from './decode-request.js';
import { decodeGeminiResponse } from './decode-response.js';
import { createGeminiStreamDecoder } from './decode-stream.js';
import { encodeGeminiRequest } from './encode-request.js';
import { encodeGeminiResponse } from './encode-response.js';
import { createGeminiStreamEncoder } from './encode-stream.js';

/** Gemini generateContent to and from the internal form. */
export const geminiCodec: Codec = {
  decodeRequest: decodeGeminiRequest,
  encodeRequest: encodeGeminiRequest,
  decodeResponse: decodeGeminiResponse,
  encodeResponse: encodeGeminiResponse,
  createStreamDecoder: createGeminiStreamDecoder,
  createStreamEncoder: createGeminiStreamEncoder,
  decodeError,
};
