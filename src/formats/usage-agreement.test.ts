import { describe, expect, it } from 'vitest';
import { codecs } from './codecs.js';
import { collectStream } from './collect-stream.js';
import { createStreamUsageTracker, readUsage } from './index.js';
import { recordedAnswers, wireFormats } from './testing/recorded-streams.js';
import { translateAnswer } from './translate-exchange.js';

/**
 * Each format reads its usage object in one place (`<format>/usage.ts`); the router's counting
 * and the translation codecs must therefore report the same numbers for the same answer.
 */
describe.each(wireFormats)('usage of a %s answer', (format) => {
  const { stream, streamUsage, body, bodyUsage } = recordedAnswers[format];

  it('is the same whether the router counts it or a codec translates it', () => {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    expect(codecs[format].decodeResponse(parsed).usage).toEqual(bodyUsage);
    expect(readUsage(format, body)).toEqual(bodyUsage);

    const tracker = createStreamUsageTracker(format);
    tracker.push(Buffer.from(stream));
    expect(tracker.result()).toEqual(streamUsage);
    expect(collectStream(format, stream)?.usage).toEqual(streamUsage);
  });
});

describe('usage rules both readers follow', () => {
  it('Anthropic: a message_delta reporting input_tokens alone keeps the cache counts of message_start', () => {
    const stream =
      'event: message_start\ndata: {"type":"message_start","message":{"id":"m","model":"c",' +
      '"usage":{"input_tokens":10,"cache_read_input_tokens":500,"output_tokens":1}}}\n\n' +
      'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},' +
      '"usage":{"input_tokens":10,"output_tokens":7}}\n\n' +
      'event: message_stop\ndata: {"type":"message_stop"}\n\n';
    const expected = {
      inputTokens: 510,
      outputTokens: 7,
      cachedInputTokens: 500,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    };
    const tracker = createStreamUsageTracker('anthropic-messages');
    tracker.push(Buffer.from(stream));
    expect(tracker.result()).toEqual(expected);
    expect(collectStream('anthropic-messages', stream)?.usage).toEqual(expected);
  });

  it('Gemini: the tool-use prompt counts as input', () => {
    const body = {
      candidates: [{ content: { role: 'model', parts: [{ text: 'Hi' }] }, finishReason: 'STOP' }],
      usageMetadata: {
        promptTokenCount: 8,
        toolUsePromptTokenCount: 5,
        candidatesTokenCount: 2,
        cachedContentTokenCount: 4,
      },
    };
    const expected = {
      inputTokens: 13,
      outputTokens: 2,
      cachedInputTokens: 4,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    };
    expect(readUsage('gemini', JSON.stringify(body))).toEqual(expected);
    expect(codecs.gemini.decodeResponse(body).usage).toEqual(expected);
  });

  it('Anthropic: cache writes are kept apart from cache reads, and a message_delta repeating them keeps the larger', () => {
    const stream =
      'event: message_start\ndata: {"type":"message_start","message":{"id":"m","model":"c",' +
      '"usage":{"input_tokens":10,"cache_creation_input_tokens":300,"cache_read_input_tokens":500,' +
      '"output_tokens":1}}}\n\n' +
      'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},' +
      '"usage":{"input_tokens":10,"cache_creation_input_tokens":300,"output_tokens":7}}\n\n' +
      'event: message_stop\ndata: {"type":"message_stop"}\n\n';
    const expected = {
      inputTokens: 810,
      outputTokens: 7,
      cachedInputTokens: 500,
      cacheWriteTokens: 300,
      reasoningTokens: 0,
    };
    const tracker = createStreamUsageTracker('anthropic-messages');
    tracker.push(Buffer.from(stream));
    expect(tracker.result()).toEqual(expected);
    expect(collectStream('anthropic-messages', stream)?.usage).toEqual(expected);
  });

  it('Chat: OpenRouter reports cache writes as prompt_tokens_details.cache_write_tokens', () => {
    const body = {
      id: 'c',
      object: 'chat.completion',
      model: 'anthropic/claude-sonnet-4.5',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }],
      usage: {
        prompt_tokens: 194,
        completion_tokens: 2,
        total_tokens: 196,
        prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 100, audio_tokens: 0 },
      },
    };
    const expected = {
      inputTokens: 194,
      outputTokens: 2,
      cachedInputTokens: 0,
      cacheWriteTokens: 100,
      reasoningTokens: 0,
    };
    expect(readUsage('openai-chat', JSON.stringify(body))).toEqual(expected);
    expect(codecs['openai-chat'].decodeResponse(body).usage).toEqual(expected);
    const chunk = { id: 'c', object: 'chat.completion.chunk', model: body.model };
    const stream =
      `data: ${JSON.stringify({ ...chunk, choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: 'stop' }] })}\n\n` +
      `data: ${JSON.stringify({ ...chunk, choices: [], usage: body.usage })}\n\ndata: [DONE]\n\n`;
    const tracker = createStreamUsageTracker('openai-chat');
    tracker.push(Buffer.from(stream));
    expect(tracker.result()).toEqual(expected);
    expect(collectStream('openai-chat', stream)?.usage).toEqual(expected);
  });

  it('a translated answer keeps its cache writes: Messages to Chat and Responses and back', () => {
    const anthropic = {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-6',
      content: [{ type: 'text', text: 'Hi' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 10, cache_creation_input_tokens: 300, cache_read_input_tokens: 500, output_tokens: 7 },
    };
    const expected = {
      inputTokens: 810,
      outputTokens: 7,
      cachedInputTokens: 500,
      cacheWriteTokens: 300,
      reasoningTokens: 0,
    };
    for (const client of ['openai-chat', 'openai-responses'] as const) {
      const translated = translateAnswer('anthropic-messages', client, JSON.stringify(anthropic), 0)!;
      expect(translated.usage).toEqual(expected);
      expect(readUsage(client, translated.body)).toEqual(expected);
      const back = translateAnswer(client, 'anthropic-messages', translated.body, 0)!;
      expect((JSON.parse(back.body) as { usage: unknown }).usage).toEqual(anthropic.usage);
    }
  });
});
