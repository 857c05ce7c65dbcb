import type { Codec } from '../codec.js';
import { decodeError } from '../decode-error.js';
import { decodeChatRequest } from './decode-request.js';
import { decodeChatResponse } from './decode-response.js';
import { createChatStreamDecoder } from './decode-stream.js';
import { encodeChatRequest } from './encode-request.js';
import { encodeChatResponse } from './encode-response.js';
import { createChatStreamEncoder } from './encode-stream.js';

/** OpenAI Chat Completions to and from the internal form. */
export const chatCodec: Codec = {
  decodeRequest: decodeChatRequest,
  encodeRequest: encodeChatRequest,
  decodeResponse: decodeChatResponse,
  encodeResponse: encodeChatResponse,
  createStreamDecoder: createChatStreamDecoder,
  createStreamEncoder: createChatStreamEncoder,
  decodeError,
};
