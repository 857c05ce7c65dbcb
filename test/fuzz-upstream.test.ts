import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WireFormat } from '../src/core/types.js';
import { recordedAnswers, wireFormats } from '../src/formats/testing/recorded-streams.js';
import { createStreamTranslator } from '../src/formats/translate-stream.js';
import type { Target } from '../src/profiles/types.js';
import {
  type AttemptOutcome,
  type AttemptReason,
  maximumTrailHeaderBytes,
  renderTrail,
  renderTrailHeader,
} from '../src/router/attempt-outcome.js';
import { relayStream, type StreamOutcome } from '../src/router/relay-stream.js';
import { dispatchedEvents } from '../src/router/testing/client-event-parser.js';
import { RecordedResponse } from '../src/router/testing/router-fakes.js';

/**
 * The fuzz suite's other side (test/fuzz.test.ts fuzzes what clients send): what a broken or
 * hostile upstream sends, chunked at random, cut at random, with events that never end, and
 * trails of any length. Whatever arrives, the client gets whole events then an error event it
 * parses, nothing past the event limit is held or relayed, and the attempts header stays small.
 * SWITCHYARD_LONG=1 runs many more cases.
 */

const numRuns = process.env.SWITCHYARD_LONG === '1' ? 5_000 : 150;
const brokenMessage = 'The upstream stream broke off after it had started; the answer is incomplete.';

/** Splits `bytes` at the given offsets (any order, repeats allowed) into chunks. */
function chunked(bytes: Buffer, cuts: number[]): Buffer[] {
  const offsets = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((left, right) => left - right);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const offset of [...offsets, bytes.length]) {
    if (offset > start) chunks.push(bytes.subarray(start, offset));
    start = Math.max(start, offset);
  }
  return chunks;
}

/** Relays `chunks` from an upstream of `upstream` format that then breaks off (or ends, when `ends`). */
async function relay(
  chunks: Buffer[],
  upstream: WireFormat,
  client: WireFormat,
  { ends = false, eventLimitBytes = 1 << 20 } = {},
): Promise<{ outcome: StreamOutcome; body: string }> {
  const source = new Readable({ read() {} });
  for (const chunk of chunks) source.push(chunk);
  setImmediate(() => (ends ? source.push(null) : source.destroy(new Error('other side closed'))));
  const response = new RecordedResponse();
  const outcome = await relayStream(
    source,
    response as unknown as ServerResponse,
    upstream,
    () => response.writeHead(200, { 'content-type': 'text/event-stream' }),
    { translator: upstream === client ? undefined : createStreamTranslator(upstream, client, 0), eventLimitBytes },
  );
  return { outcome, body: response.body };
}

/** Every event but the last parses (or is `[DONE]`); the last is the error, whose message is returned. */
function errorMessageAfterWholeEvents(body: string): string | undefined {
  const events = dispatchedEvents(body);
  for (const event of events.slice(0, -1)) if (event.data !== '[DONE]') JSON.parse(event.data);
  const last = events.at(-1);
  return last === undefined ? undefined : (JSON.parse(last.data) as { error?: { message?: string } }).error?.message;
}

const formatPair = fc.tuple(fc.constantFrom(...wireFormats), fc.constantFrom(...wireFormats));

describe('fuzzing what an upstream sends', () => {
  it('a stream chunked and cut anywhere reaches the client as whole events, then an error event it parses', async () => {
    await fc.assert(
      fc.asyncProperty(
        formatPair,
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.nat(),
        async ([upstream, client], cuts, cutAt) => {
          const stream = Buffer.from(recordedAnswers[upstream].stream);
          const sent = stream.subarray(0, cutAt % (stream.length + 1));
          const { outcome, body } = await relay(chunked(sent, cuts), upstream, client);
          if (outcome.kind === 'failed-before-start') {
            expect(body).toBe('');
            return;
          }
          expect(outcome.kind).toBe('broken');
          expect(errorMessageAfterWholeEvents(body)).toBe(brokenMessage);
        },
      ),
      { numRuns },
    );
  });

  it('an event that outgrows the limit is never held or relayed past it, before or after the first event', async () => {
    const limit = 4096;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...wireFormats),
        fc.nat({ max: 4 }),
        fc.integer({ min: 1, max: 3 * limit }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.boolean(),
        async (format, wholeEvents, endlessBytes, cuts, ends) => {
          const events = recordedAnswers[format].stream.split(/(?<=\n\n|\r\n\r\n)/);
          const prefix = events.slice(0, wholeEvents).join('');
          const endless = `data: {"text":"${'a'.repeat(endlessBytes)}`;
          const { outcome, body } = await relay(chunked(Buffer.from(prefix + endless), cuts), format, format, {
            ends,
            eventLimitBytes: limit,
          });
          // Nothing of the unfinished event reached the client while it grew; past the limit, it never does.
          expect(body.length).toBeLessThanOrEqual(
            prefix.length + (endless.length > limit ? 1024 : endless.length + 1024),
          );
          if (endless.length + (outcome.kind === 'too-large-before-start' ? prefix.length : 0) <= limit) return;
          if (body === '') {
            // Nothing reached the client: before the first real event the bucket is simply failed.
            expect(['too-large-before-start', 'failed-before-start']).toContain(outcome.kind);
            return;
          }
          expect(outcome.kind).toBe('broken');
          // The relay pauses the upstream while the client drains what it was sent; this upstream breaks
          // off meanwhile, so the rest of the event may never be read: then the break is what is reported.
          expect([
            `The upstream sent a stream event larger than the limit of ${limit} bytes; the answer is incomplete.`,
            'The upstream stream broke off after it had started; the answer is incomplete.',
          ]).toContain(errorMessageAfterWholeEvents(body));
        },
      ),
      { numRuns },
    );
  });

  it('the attempts header of any trail stays within its cap, keeping the first and last attempts', () => {
    const reasons: AttemptReason[] = ['served', 'rate-limited', 'server-error', 'network', 'needs-login', 'too-large'];
    const target = (bucket: string): Target => ({
      provider: 'anthropic',
      bucket,
      key: `anthropic/${bucket}`,
      model: undefined,
      limits: undefined,
      profile: 'pool',
    });
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            bucket: fc.stringMatching(/^[A-Za-z0-9._@+-]{1,64}$/),
            reason: fc.constantFrom(...reasons),
            status: fc.constantFrom(0, 200, 429, 500, 503),
          }),
          { minLength: 1, maxLength: 3_000 },
        ),
        (attempts) => {
          const trail: AttemptOutcome[] = attempts.map(({ bucket, reason, status }) => ({
            target: target(bucket),
            status,
            reason,
          }));
          const header = renderTrailHeader(trail);
          const full = renderTrail(trail);
          expect(header.length).toBeLessThanOrEqual(maximumTrailHeaderBytes);
          if (full.length <= maximumTrailHeaderBytes) {
            expect(header).toBe(full);
            return;
          }
          const first = renderTrail(trail.slice(0, 1));
          const last = renderTrail(trail.slice(-1));
          expect(header.startsWith(`${first},`)).toBe(true);
          expect(header.endsWith(`,${last}`)).toBe(true);
          const shown = header.split(',').length - 1;
          expect(shown + Number(/,\+(\d+) more,/.exec(header)?.[1])).toBe(trail.length);
        },
      ),
      { numRuns },
    );
  });
});
