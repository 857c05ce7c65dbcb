import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDrivers } from './support/format-drivers.js';
import { createHarness, type Harness } from './support/harness.js';
import { callWithTool, toolStopReason } from './support/tool-call-drivers.js';

/**
 * Every inbound format served by every provider format, each driven by the inbound format's
 * official SDK, whose own parser must accept the translated answer and stream.
 */
describe('translation matrix', () => {
  let harness: Harness;
  let url: string;

  beforeAll(async () => {
    harness = await createHarness();
    for (const provider of formatDrivers) {
      await harness.addBucket(provider.provider, 'a');
      await harness.writeProfile(
        `only-${provider.provider}`,
        `type: model\nprovider: ${provider.provider}\nmodel: ${provider.model}\nbuckets: [a]\n`,
      );
    }
    url = (await harness.startRouter()).url;
  });

  afterAll(async () => {
    await harness.close();
  });

  const cases = formatDrivers.flatMap((client) =>
    formatDrivers.flatMap((provider) => [false, true].map((stream) => ({ client, provider, stream }))),
  );

  it.each(cases)(
    '$client.format client, $provider.provider provider, stream $stream: text',
    async ({ client, provider, stream }) => {
      const result = await client.call(url, {
        stream,
        headers: { 'x-switchyard-profile': `only-${provider.provider}` },
      });
      expect(result).toMatchObject({ ok: true, bucket: `${provider.provider}/a` });
      if (result.ok)
        expect(result.text).toBe(`Hello from ${provider.provider}-a via the switchyard provider simulator`);
    },
  );

  it.each(cases)(
    '$client.format client, $provider.provider provider, stream $stream: tool call',
    async ({ client, provider, stream }) => {
      const account = `${provider.provider}-a`;
      harness.simulator.script(account, [{ kind: 'tool-call', arguments: { city: 'Paris', unit: 'celsius' } }]);
      const before = harness.simulator.counts(account).requests;
      const result = await callWithTool(client.format, url, {
        stream,
        headers: { 'x-switchyard-profile': `only-${provider.provider}` },
      });
      expect(harness.simulator.counts(account).requests).toBe(before + 1);
      // Gemini's own calls carry no id; a translated answer always gives one (the other formats need it).
      const id = client.format === 'gemini' && provider.provider === 'gemini' ? undefined : expect.any(String);
      expect(result.calls).toEqual([{ id, name: 'get_weather', arguments: { city: 'Paris', unit: 'celsius' } }]);
      expect(result.stopReason).toBe(toolStopReason[client.format]);
    },
  );
});
