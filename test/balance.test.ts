import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './support/harness.js';

/**
 * The `balance` policy through the official SDKs against a simulator that meters each account in
 * usage windows: new sessions spread by headroom, a session stays on its bucket until the threshold.
 */
let harness: Harness;
let url: string;

async function pool(profile: string, windows: { used: number; resetInSeconds?: number }[]): Promise<void> {
  harness = await createHarness();
  const names = windows.map((_, index) => String.fromCharCode(97 + index));
  for (const [index, name] of names.entries()) {
    await harness.addBucket('anthropic', name);
    harness.simulator.setUsageWindows(`anthropic-${name}`, {
      style: 'anthropic',
      windows: [
        {
          seconds: 5 * 3600,
          capacity: 100,
          used: windows[index]!.used,
          resetInSeconds: windows[index]!.resetInSeconds ?? 5 * 3600,
        },
      ],
    });
  }
  await harness.writeProfile('pool', `type: model\nprovider: anthropic\nbuckets: [${names.join(', ')}]\n${profile}`);
  url = (await harness.startRouter({ profile: 'pool' })).url;
}

afterEach(async () => {
  await harness.close();
});

async function ask(session: string, model = 'claude-sonnet-4-6'): Promise<string | null> {
  const client = new Anthropic({
    baseURL: url,
    apiKey: 'client-key',
    maxRetries: 0,
    defaultHeaders: { 'x-claude-code-session-id': session },
  });
  const { response } = await client.messages
    .create({ model, max_tokens: 16, messages: [{ role: 'user', content: 'Hello' }] })
    .withResponse();
  return response.headers.get('x-switchyard-bucket');
}

describe('balance', () => {
  it('sends each new session to the bucket with the most headroom, and keeps a session on its bucket', async () => {
    await pool('policy: balance\n', [{ used: 80 }, { used: 20 }, { used: 50 }]);
    // Nothing known yet: the first sessions learn each bucket's windows, in priority order of headroom.
    expect(await ask('first')).toBe('anthropic/a');
    expect(await ask('second')).toBe('anthropic/b');
    expect(await ask('third')).toBe('anthropic/c');
    // Now a is 81 % used, b 21 %, c 51 %: new sessions go to b until it is no longer the emptiest.
    expect(await ask('fourth')).toBe('anthropic/b');
    expect(await ask('fifth')).toBe('anthropic/b');
    // The first session stays on a (its prompt cache), below the threshold.
    for (let turn = 0; turn < 5; turn += 1) expect(await ask('first')).toBe('anthropic/a');
    expect(harness.simulator.usageWindows('anthropic-a')[0]?.used).toBe(86);
  });

  it('moves a session once its bucket passes the threshold (allowed_warning at 90 % by default), and not before', async () => {
    await pool('policy: balance\n', [{ used: 86 }, { used: 10 }]);
    expect(await ask('session')).toBe('anthropic/a');
    // 87, 88, 89 %: still under the warning.
    for (let turn = 0; turn < 3; turn += 1) expect(await ask('session')).toBe('anthropic/a');
    // That answer said 90 %: allowed_warning, the session moves to b and stays there.
    expect(await ask('session')).toBe('anthropic/b');
    expect(await ask('session')).toBe('anthropic/b');
  });

  it("takes a profile's threshold: a session leaves its bucket there, not before", async () => {
    await pool('policy: balance\nthreshold: 50\n', [{ used: 47 }, { used: 68 }, { used: 10 }]);
    expect(await ask('session')).toBe('anthropic/a');
    expect(await ask('other')).toBe('anthropic/b');
    expect(await ask('third')).toBe('anthropic/c');
    // a at 48 % and 49 %: under 50, the session stays; at 50 % it moves, to the bucket with the most headroom.
    expect(await ask('session')).toBe('anthropic/a');
    expect(await ask('session')).toBe('anthropic/a');
    expect(await ask('session')).toBe('anthropic/c');
    expect(await ask('session')).toBe('anthropic/c');
  });

  it("keeps a profile's reserve of every window unused while another bucket has headroom", async () => {
    await pool('policy: balance\nreserve: 30\n', [{ used: 69 }, { used: 40 }]);
    expect(await ask('session')).toBe('anthropic/a');
    // a is now at 70 %: its reserve is reached, so the session moves and new sessions go elsewhere.
    for (let turn = 0; turn < 3; turn += 1) expect(await ask('session')).toBe('anthropic/b');
    for (const session of ['new-1', 'new-2', 'new-3']) expect(await ask(session)).toBe('anthropic/b');
    expect(harness.simulator.usageWindows('anthropic-a')[0]?.used).toBe(70);
  });

  it('breaks a tie in headroom by the soonest reset: capacity that would expire unused goes first', async () => {
    await pool('policy: balance\n', [
      { used: 30, resetInSeconds: 4 * 3600 },
      { used: 30, resetInSeconds: 600 },
    ]);
    expect(await ask('learn-a')).toBe('anthropic/a');
    expect(await ask('learn-b')).toBe('anthropic/b');
    // Both at 31 %: the one resetting in 10 minutes takes the new sessions.
    expect(await ask('new-1')).toBe('anthropic/b');
  });

  it('keeps a Codex session by its prompt_cache_key (OpenAI SDK, Responses)', async () => {
    harness = await createHarness();
    for (const name of ['a', 'b']) {
      await harness.addBucket('codex', name);
      harness.simulator.setUsageWindows(`codex-${name}`, {
        style: 'codex',
        windows: [{ seconds: 5 * 3600, capacity: 100, used: name === 'a' ? 60 : 10 }],
      });
    }
    await harness.writeProfile('codex', 'type: model\nprovider: codex\nbuckets: [a, b]\npolicy: balance\n');
    url = (await harness.startRouter({ profile: 'codex' })).url;
    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'client-key', maxRetries: 0 });
    const bucketOf = async (cacheKey: string) => {
      const { response } = await client.responses
        .create({ model: 'gpt-5-codex', input: 'Hello', prompt_cache_key: cacheKey })
        .withResponse();
      return response.headers.get('x-switchyard-bucket');
    };
    expect(await bucketOf('cache-1')).toBe('codex/a');
    expect(await bucketOf('cache-2')).toBe('codex/b');
    // cache-1 stays with a though b has more headroom: moving would lose its prompt cache.
    expect(await bucketOf('cache-1')).toBe('codex/a');
    expect(await bucketOf('cache-3')).toBe('codex/b');
  });
});
