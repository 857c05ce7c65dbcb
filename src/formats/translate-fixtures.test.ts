import type Anthropic from '@anthropic-ai/sdk';
import type { Part } from '@google/genai';
import type OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { WireFormat } from '../core/types.js';
import { codecs } from './codecs.js';
import { parseEvents } from './server-sent-events.js';
import {
  anthropicThinkingStream,
  anthropicToolUseAnswer,
  anthropicToolUseStream,
} from './testing/anthropic-fixtures.js';
import { geminiFunctionCallAnswer, geminiFunctionCallingRequest } from './testing/gemini-fixtures.js';
import {
  chatStream,
  chatTextAnswer,
  chatToolCallAnswer,
  responsesFunctionCallAnswer,
  responsesTextStream,
} from './testing/openai-fixtures.js';
import { translateAnswer } from './translate-exchange.js';
import { createStreamTranslator } from './translate-stream.js';

/** A chat answer chunk as the translator writes it: one choice, with `reasoning_content` for thinking. */
interface ChatChunk {
  choices: [
    {
      delta: OpenAI.ChatCompletionChunk.Choice.Delta & { reasoning_content?: string };
      finish_reason: OpenAI.ChatCompletionChunk.Choice['finish_reason'];
    },
  ];
}

/** A Gemini answer or stream chunk as the translator writes it: one candidate, with content. */
interface GeminiAnswer {
  candidates: [{ content: { role: string; parts: Part[] }; finishReason?: string; index?: number }];
}

/** What `answer` reads each format's answer as. */
interface AnswerOf {
  'anthropic-messages': Anthropic.Message;
  'openai-chat': OpenAI.ChatCompletion;
  'openai-responses': OpenAI.Responses.Response;
  gemini: GeminiAnswer;
}

/** The client's events for a whole upstream stream, fed in chunks of `size` bytes. */
function translateStream(
  from: WireFormat,
  to: WireFormat,
  stream: string,
  size = stream.length,
): { event: string | undefined; data: unknown }[] {
  const translator = createStreamTranslator(from, to, 1_764_000_000);
  const bytes = Buffer.from(stream);
  let output = '';
  for (let start = 0; start < bytes.length; start += size)
    output += translator.push(bytes.subarray(start, start + size));
  output += translator.end();
  return parseEvents(output).map((event) => ({
    event: event.event,
    data: event.data.startsWith('{') ? (JSON.parse(event.data) as unknown) : event.data,
  }));
}

function answer<To extends WireFormat>(from: WireFormat, to: To, body: unknown): AnswerOf[To] {
  const translated = translateAnswer(from, to, JSON.stringify(body), 1_764_000_000);
  if (!translated) throw new Error('not translated');
  return JSON.parse(translated.body) as AnswerOf[To];
}

describe('documented Anthropic answers', () => {
  it('reads the tool-use answer (no usage in the example) and writes it for each other format', () => {
    expect(codecs['anthropic-messages'].decodeResponse(anthropicToolUseAnswer)).toEqual({
      id: 'msg_01Aq9w938a90dw8q',
      model: 'claude-sonnet-4-5',
      parts: [
        { type: 'text', text: "I'll check the current weather in San Francisco for you." },
        {
          type: 'tool-call',
          id: 'toolu_01A09q90qw90lq917835lq9',
          name: 'get_weather',
          arguments: '{"location":"San Francisco, CA","unit":"celsius"}',
        },
      ],
      stopReason: 'tool-use',
      usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
    });
    expect(answer('anthropic-messages', 'openai-chat', anthropicToolUseAnswer).choices[0]).toEqual({
      index: 0,
      message: {
        role: 'assistant',
        content: "I'll check the current weather in San Francisco for you.",
        refusal: null,
        tool_calls: [
          {
            id: 'toolu_01A09q90qw90lq917835lq9',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"location":"San Francisco, CA","unit":"celsius"}' },
          },
        ],
      },
      logprobs: null,
      finish_reason: 'tool_calls',
    });
    const responses = answer('anthropic-messages', 'openai-responses', anthropicToolUseAnswer);
    expect(responses).toMatchObject({ object: 'response', status: 'completed', id: 'resp_msg_01Aq9w938a90dw8q' });
    expect(responses.output.map((item) => item.type)).toEqual(['message', 'function_call']);
    expect(responses.output[1]).toMatchObject({
      call_id: 'toolu_01A09q90qw90lq917835lq9',
      name: 'get_weather',
      arguments: '{"location":"San Francisco, CA","unit":"celsius"}',
    });
    expect(answer('anthropic-messages', 'gemini', anthropicToolUseAnswer).candidates[0]).toEqual({
      content: {
        role: 'model',
        parts: [
          { text: "I'll check the current weather in San Francisco for you." },
          {
            functionCall: {
              id: 'toolu_01A09q90qw90lq917835lq9',
              name: 'get_weather',
              args: { location: 'San Francisco, CA', unit: 'celsius' },
            },
          },
        ],
      },
      finishReason: 'STOP',
      index: 0,
    });
  });

  it('streams the tool-use example into chat chunks with the arguments piece by piece, whatever the chunk size', () => {
    for (const size of [anthropicToolUseStream.length, 7, 1]) {
      const events = translateStream('anthropic-messages', 'openai-chat', anthropicToolUseStream, size);
      expect(events.at(-1)).toEqual({ event: undefined, data: '[DONE]' });
      const chunks = events.slice(0, -1).map((event) => event.data as ChatChunk);
      const text = chunks.map((chunk) => chunk.choices[0].delta.content ?? '').join('');
      expect(text).toBe("Okay, let's check the weather for San Francisco, CA:");
      const calls = chunks.flatMap((chunk) => chunk.choices[0].delta.tool_calls ?? []);
      expect(calls[0]).toEqual({
        index: 0,
        id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
        type: 'function',
        function: { name: 'get_weather', arguments: '' },
      });
      // Eight non-empty pieces upstream, eight argument deltas for the client.
      expect(calls.slice(1).map((call) => call.function?.arguments)).toEqual([
        '{"location":',
        ' "San',
        ' Francisc',
        'o,',
        ' CA"',
        ',',
        ' "unit": "fah',
        'renheit"}',
      ]);
      expect(chunks.at(-1)).toMatchObject({
        choices: [{ delta: {}, finish_reason: 'tool_calls' }],
        usage: { prompt_tokens: 472, completion_tokens: 89 },
      });
    }
  });

  it('streams the tool-use example to a Gemini client with the call whole, once its arguments are complete', () => {
    const chunks = translateStream('anthropic-messages', 'gemini', anthropicToolUseStream).map(
      (event) => event.data as GeminiAnswer,
    );
    const parts = chunks.flatMap((chunk) => chunk.candidates[0].content.parts);
    expect(
      parts
        .filter((part) => part.text !== undefined)
        .map((part) => part.text)
        .join(''),
    ).toBe("Okay, let's check the weather for San Francisco, CA:");
    expect(parts.filter((part) => part.functionCall)).toEqual([
      {
        functionCall: {
          id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
          name: 'get_weather',
          args: { location: 'San Francisco, CA', unit: 'fahrenheit' },
        },
      },
    ]);
    expect(chunks.at(-1)).toMatchObject({
      candidates: [{ finishReason: 'STOP' }],
      usageMetadata: { promptTokenCount: 472, candidatesTokenCount: 89 },
    });
  });

  it('streams the extended-thinking example as reasoning in each other format', () => {
    const responses = translateStream('anthropic-messages', 'openai-responses', anthropicThinkingStream);
    expect(responses.map((event) => event.event)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done',
      'response.reasoning_summary_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    // The reasoning item, then the message, each with one piece of text.
    const completed = responses.at(-1)?.data as {
      response: { output: [{ summary: [{ text: string }] }, { content: [{ text: string }] }] };
    };
    expect(completed.response.output[0].summary[0].text).toContain('GCD(1071, 462) = 21.');
    expect(completed.response.output[1].content[0].text).toBe('The greatest common divisor of 1071 and 462 is **21**.');
    const chat = translateStream('anthropic-messages', 'openai-chat', anthropicThinkingStream)
      .slice(0, -1)
      .map((event) => event.data as ChatChunk);
    expect(chat.map((chunk) => chunk.choices[0].delta.reasoning_content ?? '').join('')).toContain('147 = 7 × 21 + 0');
    const gemini = translateStream('anthropic-messages', 'gemini', anthropicThinkingStream).map(
      (event) => event.data as GeminiAnswer,
    );
    expect(gemini[0]?.candidates[0].content.parts[0]).toMatchObject({ thought: true });
  });
});

describe('documented OpenAI answers', () => {
  it('reads the chat completion examples into Anthropic and Gemini answers', () => {
    expect(answer('openai-chat', 'anthropic-messages', chatToolCallAnswer)).toEqual({
      id: 'msg_chatcmpl-abc123',
      type: 'message',
      role: 'assistant',
      model: 'gpt-4o-mini',
      content: [
        { type: 'tool_use', id: 'call_abc123', name: 'get_current_weather', input: { location: 'Boston, MA' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 82, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 17 },
    });
    expect(answer('openai-chat', 'gemini', chatTextAnswer)).toMatchObject({
      candidates: [
        {
          content: { role: 'model', parts: [{ text: expect.stringMatching(/^The image shows a wooden boardwalk/) }] },
          finishReason: 'STOP',
        },
      ],
      usageMetadata: { promptTokenCount: 1117, candidatesTokenCount: 46, totalTokenCount: 1163 },
      modelVersion: 'gpt-4.1-2025-04-14',
    });
  });

  it('streams the chunk example to an Anthropic client and finishes at [DONE]', () => {
    const events = translateStream('openai-chat', 'anthropic-messages', chatStream);
    expect(events.map((event) => event.event)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(events[0]?.data).toMatchObject({
      message: { id: 'msg_chatcmpl-123', model: 'gpt-4o-mini', role: 'assistant', content: [] },
    });
    expect(events[2]?.data).toEqual({
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'text_delta', text: 'Hello' },
    });
    expect(events[4]?.data).toMatchObject({ delta: { stop_reason: 'end_turn' } });
  });

  it('reads the Responses function-call example and streams the Responses text example', () => {
    expect(answer('openai-responses', 'openai-chat', responsesFunctionCallAnswer)).toMatchObject({
      choices: [
        {
          message: {
            content: null,
            tool_calls: [
              {
                id: 'call_unLAR8MvFNptuiZK6K6HCy5k',
                function: { name: 'get_current_weather', arguments: '{"location":"Boston, MA","unit":"celsius"}' },
              },
            ],
          },
          finish_reason: 'tool_calls',
        },
      ],
      usage: { prompt_tokens: 291, completion_tokens: 23 },
    });
    const events = translateStream('openai-responses', 'anthropic-messages', responsesTextStream);
    expect(events.map((event) => event.event)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(events[2]?.data).toMatchObject({ delta: { text: 'Hi' } });
    expect(events[4]?.data).toMatchObject({
      delta: { stop_reason: 'end_turn' },
      usage: { input_tokens: 37, output_tokens: 11 },
    });
  });
});

describe('documented Gemini material', () => {
  it('reads the cookbook function-calling answer into a chat tool call with an id', () => {
    const chat = answer('gemini', 'openai-chat', geminiFunctionCallAnswer);
    expect(chat.choices[0]).toMatchObject({
      message: {
        content: null,
        tool_calls: [
          {
            id: expect.stringMatching(/^call_/),
            type: 'function',
            function: { name: 'find_theaters', arguments: '{"movie":"Barbie","location":"Mountain View, CA"}' },
          },
        ],
      },
      finish_reason: 'tool_calls',
    });
  });

  it('translates the cookbook multi-turn request, matching the function response to its call', () => {
    const internal = codecs.gemini.decodeRequest(geminiFunctionCallingRequest, {
      pathModel: 'gemini-2.5-pro',
      stream: false,
    });
    const anthropic = codecs['anthropic-messages'].encodeRequest({ ...internal, model: 'claude-sonnet-4-5' });
    const messages = anthropic.messages as { role: string; content: Record<string, unknown>[] }[];
    expect(messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user']);
    const call = messages[1]?.content[0];
    expect(call).toMatchObject({
      type: 'tool_use',
      name: 'find_theaters',
      input: { location: 'Mountain View, CA', movie: 'Barbie' },
    });
    expect(messages[2]?.content[0]).toMatchObject({
      type: 'tool_result',
      tool_use_id: call?.id,
      content: expect.stringContaining('AMC Mountain View 16'),
    });
    expect((anthropic.tools as Anthropic.Tool[])[1]).toEqual({
      name: 'find_theaters',
      description:
        'find theaters based on location and optionally movie title which are is currently playing in theaters',
      input_schema: {
        type: 'object',
        properties: {
          location: {
            type: 'string',
            description: 'The city and state, e.g. San Francisco, CA or a zip code e.g. 95616',
          },
          movie: { type: 'string', description: 'Any movie title' },
        },
        required: ['location'],
      },
    });
    const chat = codecs['openai-chat'].encodeRequest({ ...internal, model: 'gpt-4.1' });
    const chatMessages = chat.messages as OpenAI.ChatCompletionMessageParam[];
    expect(chatMessages.map((message) => message.role)).toEqual(['user', 'assistant', 'tool', 'assistant', 'user']);
    const [, assistant, tool] = chatMessages;
    if (assistant?.role !== 'assistant' || tool?.role !== 'tool') throw new Error('not a call and its result');
    expect(tool.tool_call_id).toBe(assistant.tool_calls?.[0]?.id);
    const responses = codecs['openai-responses'].encodeRequest({ ...internal, model: 'gpt-4.1' });
    expect((responses.input as OpenAI.Responses.ResponseInputItem[]).map((item) => item.type)).toEqual([
      'message',
      'function_call',
      'function_call_output',
      'message',
      'message',
    ]);
  });
});
