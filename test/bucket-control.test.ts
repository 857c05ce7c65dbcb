import { readFile } from 'node:fs/promises';
import Anthropic from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendMessage } from './support/cluster.js';
import { createHarness, type Harness } from './support/harness.js';
import { runBinary, startServeProcess } from './support/run-binary.js';

/** `switchyard bucket pause|resume|reset` and the admin routes behind it. */
let harness: Harness;

beforeEach(async () => {
  harness = await createHarness();
  // `switchyard serve` runs on the wall clock: the simulator's tokens are issued on the same time.
  harness.clock.advance(Date.now() - harness.clock.now());
  for (const bucket of ['a', 'b']) await harness.addBucket('anthropic', bucket);
  await harness.writeProfile('pool', 'type: model\nprovider: anthropic\nbuckets: [a, b]\n');
});

afterEach(async () => {
  await harness.close();
});

async function post(
  url: string,
  path: string,
  key?: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: key === undefined ? {} : { authorization: `Bearer ${key}` },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function messageOf(body: Record<string, unknown>): string {
  return (body.error as { message?: string } | undefined)?.message ?? '';
}

describe('bucket control routes', () => {
  it('pause stops sending to a bucket, resume sends again, reset clears a rest days away', async () => {
    const { url } = await harness.startRouter({ profile: 'pool' });
    const paused = await post(url, '/buckets/claude/a/pause');
    expect(paused).toEqual({
      status: 200,
      body: {
        bucket: 'anthropic/a',
        action: 'pause',
        // The CLI's words, which the dashboard shows.
        message: 'Paused anthropic/a: no request goes to it until `switchyard bucket resume anthropic/a`.',
        paused: true,
        state: 'ready',
        availableAt: null,
      },
    });
    for (let index = 0; index < 3; index += 1)
      expect(await sendMessage(url)).toMatchObject({ status: 200, bucket: 'anthropic/b' });
    expect(harness.simulator.counts('anthropic-a').requests).toBe(0);
    const statistics = (await (await fetch(`${url}/stats/buckets`)).json()) as {
      buckets: { key: string; paused: boolean }[];
    };
    expect(statistics.buckets.find((bucket) => bucket.key === 'anthropic/a')?.paused).toBe(true);

    expect((await post(url, '/buckets/anthropic/a/resume')).body).toMatchObject({ paused: false, state: 'ready' });
    expect(await sendMessage(url)).toMatchObject({ status: 200, bucket: 'anthropic/a' });

    harness.simulator.script('anthropic-a', [
      { kind: 'rate-limit', style: 'anthropic-unified', resetSeconds: 4 * 86_400, quota: true },
    ]);
    expect(await sendMessage(url)).toMatchObject({ status: 200, bucket: 'anthropic/b' });
    expect(harness.router().context.quota?.get('anthropic/a')?.windows['7d']?.status).toBe('rejected');
    const reset = await post(url, '/buckets/anthropic/a/reset');
    expect(reset.body).toMatchObject({ bucket: 'anthropic/a', state: 'ready', availableAt: null });
    expect(harness.router().context.quota?.get('anthropic/a')).toBeUndefined();
    expect(await sendMessage(url)).toMatchObject({ status: 200, bucket: 'anthropic/a' });
  });

  it('needs the admin key when one is set, and says what is wrong with a bucket it cannot find', async () => {
    const { url } = await harness.startRouter({
      profile: 'pool',
      environment: { SWITCHYARD_ADMIN_KEY: 'admin-secret' },
    });
    const refused = await post(url, '/buckets/anthropic/a/pause');
    expect(refused.status).toBe(401);
    expect(messageOf(refused.body)).toContain('This route needs the admin key (SWITCHYARD_ADMIN_KEY)');
    expect(await sendMessage(url)).toMatchObject({ status: 200, bucket: 'anthropic/a' });

    const unknown = await post(url, '/buckets/anthropic/nobody/pause', 'admin-secret');
    expect(unknown.status).toBe(404);
    expect(messageOf(unknown.body)).toContain('No bucket anthropic/nobody is known here');
    const provider = await post(url, '/buckets/mystery/a/reset', 'admin-secret');
    expect(provider.status).toBe(404);
    expect(messageOf(provider.body)).toContain('Unknown provider "mystery"');
    expect((await post(url, '/buckets/anthropic/a/pause', 'admin-secret')).status).toBe(200);
  });
});

describe('the answer when nothing is left names the paused buckets and how to resume them', () => {
  async function ask(url: string) {
    const client = new Anthropic({ baseURL: url, apiKey: 'unused', maxRetries: 0 });
    return client.messages
      .create({ model: 'claude-sonnet-4-6', max_tokens: 16, messages: [{ role: 'user', content: 'Hi' }] })
      .then(() => undefined)
      .catch((error: unknown) => error as InstanceType<typeof Anthropic.APIError>);
  }

  it('every bucket paused: 503 no_usable_bucket, nothing comes back by itself, the resume commands', async () => {
    const { url } = await harness.startRouter({ profile: 'pool' });
    await post(url, '/buckets/anthropic/a/pause');
    await post(url, '/buckets/anthropic/b/pause');
    const refused = await ask(url);
    expect(refused?.status).toBe(503);
    expect(refused?.error).toEqual({
      type: 'error',
      error: {
        type: 'api_error',
        message:
          'No bucket of profile "pool" can serve, and none comes back by itself: anthropic/a and anthropic/b are ' +
          'paused by hand; resume with: switchyard bucket resume anthropic/a, or switchyard bucket resume ' +
          'anthropic/b (or POST /buckets/anthropic/a/resume).',
        code: 'no_usable_bucket',
        buckets: [
          { key: 'anthropic/a', state: 'paused', availableAt: null },
          { key: 'anthropic/b', state: 'paused', availableAt: null },
        ],
      },
    });
    expect(harness.simulator.totalRequests()).toBe(0);
  });

  it('one paused, the other spent: the exhausted 429 with its reset also says the paused one waits for a resume', async () => {
    const { url } = await harness.startRouter({ profile: 'pool' });
    await post(url, '/buckets/anthropic/a/pause');
    harness.simulator.script('anthropic-b', [
      { kind: 'rate-limit', style: 'anthropic-unified', resetSeconds: 3600, quota: true },
    ]);
    const refused = await ask(url);
    expect(refused?.status).toBe(429);
    // The reset is in whole epoch seconds: an hour, or that and the second it was read in.
    expect(refused?.headers?.get('retry-after')).toMatch(/^360[01]$/);
    expect(refused?.message).toMatch(/All OAuth buckets exhausted; the first one resets at \S+ \(in 360[01] s\)\./);
    expect(refused?.message).toContain(
      'anthropic/a is paused by hand; resume with: switchyard bucket resume anthropic/a ' +
        '(or POST /buckets/anthropic/a/resume).',
    );
    expect(harness.simulator.counts('anthropic-a').requests).toBe(0);
  });
});

describe('switchyard bucket (the binary)', () => {
  it('pauses and resumes on the running server, and a pause made with no server running holds at the next start', async () => {
    const environment = { SWITCHYARD_HOME: harness.home, HOME: harness.home };
    const serve = await startServeProcess(['--port', '0', '--profile', 'pool'], environment);
    try {
      const paused = await runBinary(['bucket', 'pause', 'anthropic/a'], environment);
      expect(paused.code).toBe(0);
      expect(paused.stdout).toContain(
        'Paused anthropic/a: no request goes to it until `switchyard bucket resume anthropic/a`.',
      );
      expect(await sendMessage(serve.url)).toMatchObject({ status: 200, bucket: 'anthropic/b' });
      const resumed = await runBinary(['bucket', 'resume', 'claude/a'], environment);
      expect(resumed.stdout).toContain('Resumed anthropic/a');
      expect(await sendMessage(serve.url)).toMatchObject({ status: 200, bucket: 'anthropic/a' });
    } finally {
      await serve.stop();
    }

    const offline = await runBinary(['bucket', 'pause', 'anthropic/a'], environment);
    expect(offline.code).toBe(0);
    expect(offline.stdout).toContain('no server runs here');
    expect(JSON.parse(await readFile(harness.paths.paused, 'utf8'))).toEqual({ version: 1, paused: ['anthropic/a'] });
    const restarted = await startServeProcess(['--port', '0', '--profile', 'pool'], environment);
    try {
      expect(await sendMessage(restarted.url)).toMatchObject({ status: 200, bucket: 'anthropic/b' });
    } finally {
      await restarted.stop();
    }

    const wrong = await runBinary(['bucket', 'pause', 'anthropic-a'], environment);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('Name the bucket as <provider>/<bucket>');
  });

  it('with no server running, stats buckets shows pauses and windows from the files, and bucket reset clears them', async () => {
    const environment = { SWITCHYARD_HOME: harness.home, HOME: harness.home };
    const { url } = await harness.startRouter({ profile: 'pool' });
    harness.simulator.script('anthropic-a', [
      { kind: 'rate-limit', style: 'anthropic-unified', resetSeconds: 4 * 86_400, quota: true },
    ]);
    expect(await sendMessage(url)).toMatchObject({ status: 200, bucket: 'anthropic/b' });
    await harness.router().close();

    expect((await runBinary(['bucket', 'pause', 'anthropic/b'], environment)).code).toBe(0);
    const before = await runBinary(['stats', 'buckets'], environment);
    expect(before.code).toBe(0);
    const lineOf = (text: string, key: string) => text.split('\n').find((line) => line.startsWith(`  ${key}:`)) ?? '';
    expect(lineOf(before.stdout, 'anthropic/a')).toMatch(/exhausted until \S+ \(in 4 days\)/);
    expect(lineOf(before.stdout, 'anthropic/a')).toMatch(/; 7d 100 % until \d{4}-\d\d-\d\d \d\d:\d\d UTC \(4 d\)$/);
    expect(lineOf(before.stdout, 'anthropic/b')).toContain('ready, paused by hand');

    const reset = await runBinary(['bucket', 'reset', 'anthropic/a'], environment);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toBe(
      'Reset anthropic/a: its rest and what its answers said of its windows are cleared; it takes requests now. ' +
        '(no server runs here: the next `switchyard serve` starts so)\n',
    );
    const quota = JSON.parse(await readFile(harness.paths.quota, 'utf8')) as { buckets: Record<string, unknown> };
    expect(quota.buckets['anthropic/a']).toBeUndefined();
    const after = await runBinary(['stats', 'buckets'], environment);
    expect(lineOf(after.stdout, 'anthropic/a')).toMatch(/, ready$/);
    const restarted = await harness.startRouter({ profile: 'pool' });
    expect(await sendMessage(restarted.url)).toMatchObject({ status: 200, bucket: 'anthropic/a' });
  });
});
