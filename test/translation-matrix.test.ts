import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './support/harness.js';
import { formatDrivers } from './support/format-drivers.js';

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
      await harness.writeProfile(`only-${provider.provider}`, `type: model\nprovider: ${provider.provider}\nmodel: ${provider.model}\nbuckets: [a]\n`);
    }
    url = (await harness.startRouter()).url;
  });

  afterAll(async () => {
    await harness.close();
  });

  const cases = formatDrivers.flatMap((client) => formatDrivers.flatMap((provider) => [false, true].map((stream) => ({ client, provider, stream }))));

  it.each(cases)('$client.format client, $provider.provider provider, stream $stream: text', async ({ client, provider, stream }) => {
    const result = await client.call(url, { stream, headers: { 'x-switchyard-profile': `only-${provider.provider}` } });
    expect(result).toMatchObject({ ok: true, bucket: `${provider.provider}/a` });
    if (result.ok) expect(result.text).toBe(`Hello from ${provider.provider}-a via the switchyard provider simulator`);
  });
});
