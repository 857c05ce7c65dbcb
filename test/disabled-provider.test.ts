import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './support/harness.js';
import { errorOf, postRaw, rawRequestOf } from './support/raw-requests.js';
import { runBinary } from './support/run-binary.js';

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const messages = rawRequestOf('anthropic-messages', 'claude-sonnet-4-6');

async function send(url: string) {
  return postRaw(url, messages.path, JSON.stringify(messages.body), { 'anthropic-version': '2023-06-01' });
}

describe('a profile of only buckets of a provider turned off by `switchyard auth <provider> disable`', () => {
  it('answers 503 no_usable_bucket naming `auth anthropic enable`, lists the buckets disabled, serves once enabled', async () => {
    harness = await createHarness();
    for (const bucket of ['a', 'b']) await harness.addBucket('anthropic', bucket);
    await harness.writeProfile('pool', 'type: model\nprovider: anthropic\nbuckets: [a, b]\n');
    const environment = { SWITCHYARD_HOME: harness.home, HOME: harness.home };
    expect(await runBinary(['auth', 'anthropic', 'disable'], environment)).toMatchObject({ code: 0 });

    const { url } = await harness.startRouter({ profile: 'pool' });
    const answer = await send(url);
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBeNull();
    expect(answer.headers.get('x-switchyard-attempts')).toBe('anthropic/a:oauth-disabled,anthropic/b:oauth-disabled');
    const error = (answer.body as { error: { type: string; code: string; buckets: unknown } }).error;
    expect(error.code).toBe('no_usable_bucket');
    expect(errorOf('anthropic-messages', answer.body).message).toBe(
      'No bucket of profile "pool" can serve, and none comes back by itself: ' +
        'anthropic/a and anthropic/b are disabled ' +
        '(OAuth of anthropic is turned off); run: switchyard auth anthropic enable.',
    );
    expect(error.buckets).toEqual([
      { key: 'anthropic/a', state: 'disabled', availableAt: null },
      { key: 'anthropic/b', state: 'disabled', availableAt: null },
    ]);
    expect(harness.simulator.totalRequests()).toBe(0);

    expect(await runBinary(['auth', 'anthropic', 'enable'], environment)).toMatchObject({ code: 0 });
    await harness.router().close();
    const restarted = await harness.startRouter({ profile: 'pool' });
    const served = await send(restarted.url);
    expect(served.status).toBe(200);
    expect(served.headers.get('x-switchyard-bucket')).toBe('anthropic/a');
  });

  it('lists a disabled bucket as disabled, with the enable command, beside a bucket that resets (429 exhausted)', async () => {
    harness = await createHarness();
    await harness.addBucket('anthropic', 'a');
    await harness.addBucket('anthropic', 'key', { apiKey: true });
    await harness.writeProfile('pool', 'type: model\nprovider: anthropic\nbuckets: [a, key]\n');
    const environment = { SWITCHYARD_HOME: harness.home, HOME: harness.home };
    expect(await runBinary(['auth', 'anthropic', 'disable'], environment)).toMatchObject({ code: 0 });
    harness.simulator.script('anthropic-key', [{ kind: 'rate-limit', style: 'anthropic-unified', resetSeconds: 3600 }]);

    const { url } = await harness.startRouter({ profile: 'pool' });
    const answer = await send(url);
    expect(answer.status).toBe(429);
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(3500);
    const error = (answer.body as { error: { buckets: { key: string; state: string }[] } }).error;
    expect(error.buckets.map(({ key, state }) => ({ key, state }))).toEqual([
      { key: 'anthropic/a', state: 'disabled' },
      { key: 'anthropic/key', state: 'exhausted' },
    ]);
    const message = errorOf('anthropic-messages', answer.body).message;
    expect(message).toMatch(/^All OAuth buckets exhausted; the first one resets at /);
    expect(message).toContain(
      'anthropic/a is disabled (OAuth of anthropic is turned off); run: switchyard auth anthropic enable',
    );
  });
});
