import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WireFormat } from '../core/types.js';
import { createStreamUsageTracker, readUsage, type Usage } from './index.js';
import { recordedAnswers, wireFormats } from './testing/recorded-streams.js';

/** Pushes `bytes` cut at `cuts` and returns the usage the tracker kept. */
function trackCut(format: WireFormat, bytes: Buffer, cuts: number[]): Usage {
  const tracker = createStreamUsageTracker(format);
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    tracker.push(bytes.subarray(start, cut));
    start = cut;
  }
  return tracker.result();
}

function trackInPieces(format: WireFormat, bytes: Buffer, size: number): Usage {
  const cuts: number[] = [];
  for (let offset = size; offset < bytes.length; offset += size) cuts.push(offset);
  return trackCut(format, bytes, cuts);
}

/** A usage of those counts (cached input and reasoning 0 unless given). */
function counts(
  inputTokens: number,
  outputTokens: number,
  cachedInputTokens = 0,
  reasoningTokens = 0,
  cacheWriteTokens = 0,
): Usage {
  return { inputTokens, outputTokens, cachedInputTokens, cacheWriteTokens, reasoningTokens };
}

/** Whether two usages agree on every count (cheaper than expect() in a loop over every cut). */
function sameUsage(found: Usage, expected: Usage): boolean {
  return (
    found.inputTokens === expected.inputTokens &&
    found.outputTokens === expected.outputTokens &&
    found.cachedInputTokens === expected.cachedInputTokens &&
    found.cacheWriteTokens === expected.cacheWriteTokens &&
    found.reasoningTokens === expected.reasoningTokens
  );
}

const crlf = (text: string) => text.replaceAll('\r\n', '\n').replaceAll('\n', '\r\n');

afterEach(() => {
  vi.restoreAllMocks();
});

describe('readUsage', () => {
  it.each(wireFormats)('reads the usage of a complete %s response', (format) => {
    const { body, bodyUsage } = recordedAnswers[format];
    expect(readUsage(format, body)).toEqual(bodyUsage);
  });

  it.each(wireFormats)('gives zeros for a %s body that is not JSON or has no usage', (format) => {
    expect(readUsage(format, '<html>502 Bad Gateway</html>')).toEqual(counts(0, 0));
    expect(readUsage(format, '{"id":"x"}')).toEqual(counts(0, 0));
    expect(readUsage(format, '')).toEqual(counts(0, 0));
  });

  it('counts Gemini thoughts as output and reads the last element of a JSON-array answer', () => {
    expect(
      readUsage('gemini', '{"usageMetadata":{"promptTokenCount":8,"candidatesTokenCount":9,"thoughtsTokenCount":30}}'),
    ).toEqual(counts(8, 39, 0, 30));
    expect(
      readUsage(
        'gemini',
        '[{"usageMetadata":{"promptTokenCount":8}},{"usageMetadata":{"promptTokenCount":8,"candidatesTokenCount":3}}]',
      ),
    ).toEqual(counts(8, 3));
    expect(
      readUsage('gemini', '{"response":{"usageMetadata":{"promptTokenCount":4,"candidatesTokenCount":1}}}'),
    ).toEqual(counts(4, 1));
  });
});

describe.each(wireFormats)('createStreamUsageTracker for %s', (format) => {
  const { stream, streamUsage } = recordedAnswers[format];
  const bytes = Buffer.from(stream);

  it('keeps the usage whatever single point the stream is cut at (inside keys, numbers, UTF-8 characters, blank lines)', () => {
    for (let cut = 0; cut <= bytes.length; cut++) {
      const usage = trackCut(format, bytes, [cut]);
      if (!sameUsage(usage, streamUsage)) {
        throw new Error(`cut at byte ${cut}: ${JSON.stringify(usage)}`);
      }
    }
  });

  it('keeps the usage when the stream comes in pieces of every small size', () => {
    for (const size of [1, 2, 3, 4, 5, 7, 11, 64, 1000])
      expect(trackInPieces(format, bytes, size)).toEqual(streamUsage);
  });

  it('keeps the usage with the other kind of line ends', () => {
    const other = format === 'gemini' ? Buffer.from(stream.replaceAll('\r\n', '\n')) : Buffer.from(crlf(stream));
    for (const size of [1, 3, 4, other.length]) expect(trackInPieces(format, other, size)).toEqual(streamUsage);
  });

  it('counts a last event that the stream ended without its blank line', () => {
    expect(trackInPieces(format, Buffer.from(stream.trimEnd()), 5)).toEqual(streamUsage);
  });

  it('keeps the usage cut anywhere near the end of a stream whose first 64 KB carry none', () => {
    const { outputEvent } = recordedAnswers[format];
    const long = Buffer.from(stream.replace(outputEvent, outputEvent.repeat(1000)));
    for (let cut = long.length - 600; cut <= long.length; cut++) {
      const usage = trackCut(format, long, [cut - 70_000, cut - 3, cut]);
      if (!sameUsage(usage, streamUsage)) {
        throw new Error(`cut at byte ${cut}: ${JSON.stringify(usage)}`);
      }
    }
    for (const size of [1, 6, 4096, 65_537]) expect(trackInPieces(format, long, size)).toEqual(streamUsage);
  });

  it('parses only the events that carry usage in a 1,000-event stream', () => {
    const { outputEvent } = recordedAnswers[format];
    const long = Buffer.from(stream.replace(outputEvent, outputEvent.repeat(1000)));
    const parse = vi.spyOn(JSON, 'parse');
    const tracker = createStreamUsageTracker(format);
    for (let offset = 0; offset < long.length; offset += 4096) tracker.push(long.subarray(offset, offset + 4096));
    expect(tracker.result()).toEqual(streamUsage);
    // Anthropic reports usage twice (message_start, message_delta); the others once at the end.
    expect(parse.mock.calls.length).toBeLessThanOrEqual(format === 'anthropic-messages' ? 2 : 1);
  });
});

describe('stream usage details', () => {
  it('Anthropic: a message_delta with input counts replaces those of message_start', () => {
    const text =
      'event: message_start\ndata: ' +
      '{"type":"message_start","message":{"usage":{"input_tokens":10,"cache_read_input_tokens":5,"output_tokens":1}}}\n\n' +
      'event: message_delta\ndata: ' +
      '{"type":"message_delta","usage":{"input_tokens":30,"cache_read_input_tokens":5,"output_tokens":8}}\n\n';
    expect(trackInPieces('anthropic-messages', Buffer.from(text), 7)).toEqual(counts(35, 8, 5));
  });

  it('Chat: `"usage": null` chunks with spaces are passed over and `"usage": {` is read', () => {
    const text =
      'data: {"choices": [{"delta": {"content": "a"}}], "usage": null}\n\ndata: ' +
      '{"choices": [], "usage": {"prompt_tokens": 4, "completion_tokens": ' +
      '2}}\n\ndata: [DONE]\n\n';
    expect(trackInPieces('openai-chat', Buffer.from(text), 3)).toEqual(counts(4, 2));
  });

  it('Responses: a stream that ended incomplete still reports its usage', () => {
    const text =
      'event: response.incomplete\ndata: ' +
      '{"type":"response.incomplete","response":{"status":"incomplete","usage":{"input_tokens":9,"output_tokens":100}}}\n\n';
    expect(trackInPieces('openai-responses', Buffer.from(text), 10)).toEqual(counts(9, 100));
  });

  it('keeps what a stream reported before it was cut, and zeros for no stream at all', () => {
    const reportedBeforeOutput: Record<WireFormat, Usage> = {
      'anthropic-messages': counts(1325, 1, 1200, 0, 100),
      'openai-chat': counts(0, 0),
      'openai-responses': counts(0, 0),
      gemini: counts(0, 0),
    };
    for (const format of wireFormats) {
      const { stream, outputEvent } = recordedAnswers[format];
      expect(trackInPieces(format, Buffer.from(stream.slice(0, stream.indexOf(outputEvent) + 20)), 9)).toEqual(
        reportedBeforeOutput[format],
      );
      expect(createStreamUsageTracker(format).result()).toEqual(counts(0, 0));
    }
  });

  it('still finds usage after an event too long to hold', () => {
    const huge = `data: {"choices":[{"delta":{"content":"${'x'.repeat(1_500_000)}"}}]}\n\n`;
    const text = Buffer.from(
      `${huge}data: {"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":1_000}}\n\n`.replace('1_000', '1000'),
    );
    expect(trackInPieces('openai-chat', text, 65_536)).toEqual(counts(3, 1000));
  });

  it('can be asked for the result more than once', () => {
    const tracker = createStreamUsageTracker('gemini');
    tracker.push(Buffer.from(recordedAnswers.gemini.stream));
    expect(tracker.result()).toEqual(recordedAnswers.gemini.streamUsage);
    expect(tracker.result()).toEqual(recordedAnswers.gemini.streamUsage);
  });
});
