import { describe, expect, it } from 'vitest';
import { codecs } from './codecs.js';
import { collectStream } from './collect-stream.js';
import { createStreamUsageTracker, readUsage } from './index.js';
import { recordedAnswers, wireFormats } from './testing/recorded-streams.js';

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
    const expected = { inputTokens: 510, outputTokens: 7, cachedInputTokens: 500, reasoningTokens: 0 };
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
    const expected = { inputTokens: 13, outputTokens: 2, cachedInputTokens: 4, reasoningTokens: 0 };
    expect(readUsage('gemini', JSON.stringify(body))).toEqual(expected);
    expect(codecs.gemini.decodeResponse(body).usage).toEqual(expected);
  });
});
