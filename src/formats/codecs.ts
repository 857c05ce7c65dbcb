import type { WireFormat } from '../core/types.js';
import { anthropicCodec } from './anthropic-messages/codec.js';
import type { Codec } from './codec.js';
import { geminiCodec } from './gemini/codec.js';
import { chatCodec } from './openai-chat/codec.js';
import { responsesCodec } from './openai-responses/codec.js';

/** The codec of each wire format. */
export const codecs: Readonly<Record<WireFormat, Codec>> = {
  'anthropic-messages': anthropicCodec,
  'openai-chat': chatCodec,
  'openai-responses': responsesCodec,
  gemini: geminiCodec,
};
