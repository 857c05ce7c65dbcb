import { describe, expect, it } from 'vitest';
import * as anthropicMessages from './anthropic-messages/index.js';
import { trackUsageAtEdges } from './edge-usage-tracker.js';
import { createStreamUsageTracker } from './index.js';
import { type RestartableUsageTracker, trackStreamUsage } from './stream-usage-tracker.js';
import { recordedAnswers, wireFormats } from './testing/recorded-streams.js';

/** The full tracker, counting the bytes it is shown. */
function countingTracker(): RestartableUsageTracker & { bytesSeen: () => number } {
  const inner = trackStreamUsage(anthropicMessages.streamUsage);
  let bytes = 0;
  return {
    push(chunk) {
      bytes += chunk.length;
      inner.push(chunk);
    },
    restart: () => inner.restart(),
    result: () => inner.result(),
    bytesSeen: () => bytes,
  };
}

function pushInPieces(tracker: { push(chunk: Buffer): void }, bytes: Buffer, size: number): void {
  for (let offset = 0; offset < bytes.length; offset += size) tracker.push(bytes.subarray(offset, offset + size));
}

describe('trackUsageAtEdges', () => {
  const { stream, outputEvent, streamUsage } = recordedAnswers['anthropic-messages'];
  const long = Buffer.from(stream.replace(outputEvent, outputEvent.repeat(1000)));

  it('shows the full tracker the first 8 KB and the last events of a long stream, not the middle', () => {
    for (const size of [65_536, 16_384, 4_096, 1_000]) {
      const full = countingTracker();
      const tracker = trackUsageAtEdges(full);
      pushInPieces(tracker, long, size);
      expect(tracker.result()).toEqual(streamUsage);
      expect(long.length).toBeGreaterThan(100_000);
      // 8 KB of head, and at most the last 8 events plus one gathered piece of 4 KB and one chunk.
      expect(full.bytesSeen()).toBeLessThan(8_192 + 8 * outputEvent.length + 4_096 + size + 1_000);
    }
  });

  it.each(wireFormats)('keeps the %s usage of a long stream for any cut near its end', (format) => {
    const recorded = recordedAnswers[format];
    const longer = Buffer.from(recorded.stream.replace(recorded.outputEvent, recorded.outputEvent.repeat(500)));
    for (let cut = longer.length - 400; cut <= longer.length; cut += 7) {
      const tracker = createStreamUsageTracker(format);
      tracker.push(longer.subarray(0, cut - 30_000));
      tracker.push(longer.subarray(cut - 30_000, cut));
      tracker.push(longer.subarray(cut));
      expect(tracker.result()).toEqual(recorded.streamUsage);
    }
  });

  it('hands a giant event after the head to the full tracker instead of holding it whole', () => {
    const full = countingTracker();
    const tracker = trackUsageAtEdges(full);
    const giant =
      `event: content_block_delta\ndata: ` +
      `{"type":"content_block_delta","delta":{"type":"text_delta","text":"${'x'.repeat(3_000_000)}"}}\n\n`;
    const text = Buffer.from(stream.replace(outputEvent, `${outputEvent.repeat(100)}${giant}`));
    pushInPieces(tracker, text, 65_536);
    expect(full.bytesSeen()).toBeGreaterThan(1_000_000);
    expect(tracker.result()).toEqual(streamUsage);
  });
});
