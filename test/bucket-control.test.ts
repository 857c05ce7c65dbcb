import { readFile } from 'node:fs/promises';
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
});
