import { Agent, fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderName, WireFormat } from '../src/core/types.js';
import { dispatchedEvents } from '../src/router/testing/client-event-parser.js';
import { createHarness, type Harness } from './support/harness.js';
import { rawRequestOf } from './support/raw-requests.js';

/**
 * Fault suite, issue 18 item 8: an upstream stream cut at any byte (inside a line, between an
 * event's lines, on a boundary) reaches the client as whole events and then an error event that
 * the client's SSE parser sees, in every format. Before, the error event was glued onto the cut
 * line and no parser saw it.
 */

const cases: { format: WireFormat; provider: ProviderName; model: string }[] = [
  { format: 'anthropic-messages', provider: 'anthropic', model: 'claude-sonnet-4-6' },
  { format: 'openai-chat', provider: 'qwen', model: 'qwen3-coder-plus' },
  { format: 'openai-responses', provider: 'codex', model: 'gpt-5-codex' },
  { format: 'gemini', provider: 'gemini', model: 'gemini-2.5-pro' },
];

const brokenMessage = 'The upstream stream broke off after it had started; the answer is incomplete.';

let harness: Harness;
let url: string;
const client = new Agent({ connections: 4 });

beforeAll(async () => {
  harness = await createHarness();
  for (const { provider } of cases) {
    await harness.addBucket(provider, 'a');
    await harness.writeProfile(provider, `type: model\nprovider: ${provider}\nbuckets: [a]\n`);
  }
  url = (await harness.startRouter({ profile: 'anthropic' })).url;
});

afterAll(async () => {
  await client.close();
  await harness.close();
});

/** A streaming request in the format, to the profile of its provider; the answer read whole. */
async function streamed(format: WireFormat, provider: ProviderName, model: string) {
  const raw = rawRequestOf(format, model);
  const path = format === 'gemini' ? `/v1beta/models/${model}:streamGenerateContent?alt=sse` : raw.path;
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-switchyard-profile': provider },
    body: JSON.stringify(format === 'gemini' ? raw.body : { ...raw.body, stream: true }),
    dispatcher: client,
  });
  return { status: response.status, text: await response.text() };
}

describe('a stream the upstream cuts at any byte', () => {
  it.each(cases)(
    '$format: the client parses every event whole, then the error event',
    { timeout: 300_000 },
    async ({ format, provider, model }) => {
      // The whole stream, once, to know its length: the relay passes an untranslated stream on byte for byte.
      const whole = await streamed(format, provider, model);
      expect(whole.status).toBe(200);
      const length = Buffer.byteLength(whole.text);
      const wholeEvents = dispatchedEvents(whole.text);
      let broken = 0;
      for (let cut = 0; cut <= length; cut++) {
        harness.simulator.script(`${provider}-a`, [{ kind: 'stream-cut', atByte: cut }]);
        const answer = await streamed(format, provider, model);
        expect({ cut, status: answer.status }).toEqual({ cut, status: 200 });
        const events = dispatchedEvents(answer.text);
        const last = events.at(-1);
        const error =
          last === undefined || last.data === '[DONE]'
            ? undefined
            : (JSON.parse(last.data) as { error?: { message?: string } }).error;
        if (error === undefined) {
          // Cut before its first event, the bucket was tried again and the retry's stream is whole; or
          // the cut fell after the last byte (ids grow a digit now and then), which is no cut.
          expect({ cut, events: events.length }).toEqual({ cut, events: wholeEvents.length });
          continue;
        }
        broken += 1;
        expect({ cut, message: error.message }).toEqual({ cut, message: brokenMessage });
        // What came before the error is whole events of the stream, none cut short.
        for (const event of events.slice(0, -1))
          if (event.data !== '[DONE]') expect(() => JSON.parse(event.data), `cut at ${cut}`).not.toThrow();
        expect(events.length - 1).toBeLessThanOrEqual(wholeEvents.length);
      }
      // Most cuts fall after the first event, where only an error event can tell the client.
      expect(broken).toBeGreaterThan(length / 2);
    },
  );
});
