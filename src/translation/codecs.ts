import type { WireFormat } from '../core/types.js';
import { anthropicCodec } from './anthropic-messages/index.js';
import type { Codec } from './codec.js';
import { geminiCodec } from './gemini/index.js';
import { chatCodec } from './openai-chat/index.js';
import { responsesCodec } from './openai-responses/index.js';

/** The codec of each wire format. */
export const codecs: Readonly<Record<WireFormat, Codec>> = {
  'anthropic-messages': anthropicCodec,
  'openai-chat': chatCodec,
  'openai-responses': responsesCodec,
  gemini: geminiCodec,
};
