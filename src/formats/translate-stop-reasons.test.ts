import type Anthropic from '@anthropic-ai/sdk';
import type { GenerateContentResponse } from '@google/genai';
import type OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { WireFormat } from '../core/types.js';
import { codecs } from './codecs.js';
import type { InternalResponse, StopReason } from './internal.js';

/** Each format's own word for each internal stop reason, as its encoder writes it. */
const written: Record<StopReason, Record<WireFormat, unknown>> = {
  end: {
    'anthropic-messages': 'end_turn',
    'openai-chat': 'stop',
    'openai-responses': ['completed', null],
    gemini: 'STOP',
  },
  'max-tokens': {
    'anthropic-messages': 'max_tokens',
    'openai-chat': 'length',
    'openai-responses': ['incomplete', 'max_output_tokens'],
    gemini: 'MAX_TOKENS',
  },
  'stop-sequence': {
    'anthropic-messages': 'stop_sequence',
    'openai-chat': 'stop',
    'openai-responses': ['completed', null],
    gemini: 'STOP',
  },
  'tool-use': {
    'anthropic-messages': 'tool_use',
    'openai-chat': 'tool_calls',
    'openai-responses': ['completed', null],
    gemini: 'STOP',
  },
  'content-filter': {
    'anthropic-messages': 'refusal',
    'openai-chat': 'content_filter',
    'openai-responses': ['incomplete', 'content_filter'],
    gemini: 'SAFETY',
  },
  error: {
    'anthropic-messages': 'end_turn',
    'openai-chat': 'stop',
    'openai-responses': ['completed', null],
    gemini: 'OTHER',
  },
};

/** The stop word of an answer an encoder wrote, read through the format's SDK type. */
function stopWord(format: WireFormat, body: unknown): unknown {
  switch (format) {
    case 'anthropic-messages':
      return (body as Anthropic.Message).stop_reason;
    case 'openai-chat':
      return (body as OpenAI.ChatCompletion).choices[0]?.finish_reason;
    case 'openai-responses': {
      const response = body as OpenAI.Responses.Response;
      return [response.status, response.incomplete_details?.reason ?? null];
    }
    case 'gemini':
      return (body as GenerateContentResponse).candidates?.[0]?.finishReason;
  }
}

const formats: WireFormat[] = ['anthropic-messages', 'openai-chat', 'openai-responses', 'gemini'];
const reasons = Object.keys(written) as StopReason[];

describe('stop reasons', () => {
  it.each(reasons)('"%s" is written in each format\'s own words', (reason) => {
    for (const format of formats) {
      // A tool call must be present for formats that tell a tool stop by its parts.
      const parts: InternalResponse['parts'] =
        reason === 'tool-use'
          ? [{ type: 'tool-call', id: 'call_1', name: 'lookup', arguments: '{}' }]
          : [{ type: 'text', text: 'x' }];
      const response: InternalResponse = {
        id: 'r1',
        model: 'm',
        parts,
        stopReason: reason,
        usage: { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
      };
      expect(stopWord(format, codecs[format].encodeResponse(response, 0)), `${format}`).toEqual(
        written[reason][format],
      );
    }
  });

  it.each(['end', 'max-tokens', 'tool-use', 'content-filter'] as StopReason[])(
    '"%s" survives a round trip through every format',
    (reason) => {
      for (const format of formats) {
        const parts: InternalResponse['parts'] =
          reason === 'tool-use'
            ? [{ type: 'tool-call', id: 'call_1', name: 'lookup', arguments: '{}' }]
            : [{ type: 'text', text: 'x' }];
        const response: InternalResponse = {
          id: 'r1',
          model: 'm',
          parts,
          stopReason: reason,
          usage: { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
        };
        const encoded = codecs[format].encodeResponse(response, 0);
        expect(codecs[format].decodeResponse(encoded).stopReason, `${format}`).toBe(reason);
      }
    },
  );
});
