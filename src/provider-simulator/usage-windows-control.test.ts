import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { manualClock, postJson, useSimulator } from './testing/use-simulator.js';
import type { AccountCredentials } from './types.js';

const clock = manualClock();

/** Usage windows set, read and moved on over HTTP, as child processes (demo, CLI tests) do. */
describe('usage windows through the control API, on a fast clock', () => {
  const simulator = useSimulator({ clock, timeScale: 3600 });

  function control(path: string, body: unknown) {
    return postJson(`${simulator().url}/__sim/${path}`, body);
  }

  async function client(name: string): Promise<Anthropic> {
    const { apiKey } = (await control('accounts', { name })).json() as AccountCredentials;
    return new Anthropic({ apiKey, baseURL: simulator().url, maxRetries: 0 });
  }

  function ask(anthropic: Anthropic) {
    return anthropic.messages
      .create({ model: 'claude-sonnet-4-6', max_tokens: 8, messages: [{ role: 'user', content: 'Hi' }] })
      .withResponse();
  }

  it('meters an account set over HTTP; its 5-hour window lasts 5 s at a time scale of 3600', async () => {
    const anthropic = await client('metered');
    const set = await control('usage-windows', {
      account: 'metered',
      style: 'anthropic',
      windows: [
        { seconds: 5 * 3600, capacity: 2, used: 1 },
        { seconds: 7 * 86_400, capacity: 100 },
      ],
    });
    expect(set.status).toBe(200);
    expect(set.json()).toEqual({
      account: 'metered',
      windows: [
        { name: '5h', used: 1, capacity: 2, resetsAt: clock.now() + 5000 },
        { name: '7d', used: 0, capacity: 100, resetsAt: clock.now() + 168_000 },
      ],
    });
    const { response } = await ask(anthropic);
    expect(response.headers.get('anthropic-ratelimit-unified-5h-utilization')).toBe('1.0000');
    expect(response.headers.get('anthropic-ratelimit-unified-5h-reset')).toBe(String((clock.now() + 5000) / 1000));
    const refused = await ask(anthropic).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Anthropic.RateLimitError);
    const refusal = (refused as InstanceType<typeof Anthropic.RateLimitError>).headers;
    expect(refusal?.get('anthropic-ratelimit-unified-5h-status')).toBe('rejected');
    expect(refusal?.get('anthropic-ratelimit-unified-5h-reset')).toBe(String((clock.now() + 5000) / 1000));
    // Five wall-clock seconds are five hours of the account's time: the window starts again.
    clock.advance(5000);
    const renewed = await ask(anthropic);
    expect(renewed.response.headers.get('anthropic-ratelimit-unified-5h-utilization')).toBe('0.5000');
  });

  it('moves every window on with POST /__sim/advance and lists them with GET /__sim/usage-windows', async () => {
    const anthropic = await client('weekly');
    await control('usage-windows', {
      account: 'weekly',
      style: 'anthropic',
      windows: [{ seconds: 7 * 86_400, capacity: 3, used: 3, resetInSeconds: 86_400 }],
    });
    expect(await ask(anthropic).catch((error: unknown) => error)).toBeInstanceOf(Anthropic.RateLimitError);
    const advanced = await control('advance', { seconds: 86_400 });
    expect(advanced.status).toBe(200);
    expect(advanced.json()).toEqual({
      timeScale: 3600,
      accounts: { weekly: [{ name: '7d', used: 0, capacity: 3, resetsAt: clock.now() + 168_000 }] },
    });
    const served = await ask(anthropic);
    expect(served.response.headers.get('anthropic-ratelimit-unified-7d-utilization')).toBe('0.3333');
    const listed = await fetch(`${simulator().url}/__sim/usage-windows`);
    expect(await listed.json()).toEqual({
      timeScale: 3600,
      accounts: { weekly: [{ name: '7d', used: 1, capacity: 3, resetsAt: clock.now() + 168_000 }] },
    });
    expect((await control('usage-windows', { account: 'weekly', windows: null })).json()).toEqual({
      account: 'weekly',
      windows: [],
    });
    const unmetered = await ask(anthropic);
    expect(unmetered.response.headers.get('anthropic-ratelimit-unified-7d-utilization')).toBeNull();
  });

  it('says what is wrong with a body it cannot use', async () => {
    await client('jo');
    const cases: [string, unknown, string][] = [
      [
        'usage-windows',
        { account: 'jo', style: 'gemini', windows: [] },
        'Expected `style` to be one of anthropic, codex, openai',
      ],
      [
        'usage-windows',
        { account: 'jo', style: 'anthropic', windows: [] },
        'Expected `windows` to be a non-empty array of windows (or null to stop metering)',
      ],
      [
        'usage-windows',
        { account: 'jo', style: 'codex', windows: [{ seconds: 60, capacity: 0 }] },
        'Expected `windows[0].capacity` to be a positive number',
      ],
      [
        'usage-windows',
        { account: 'nobody', style: 'codex', windows: [{ seconds: 60, capacity: 1 }] },
        'Unknown simulator account `nobody`; call addAccount first',
      ],
      [
        'advance',
        { seconds: -1 },
        'Expected `seconds` to be a positive number of seconds to move the usage windows on',
      ],
    ];
    for (const [path, body, error] of cases) {
      const answer = await control(path, body);
      expect(answer.status).toBe(400);
      expect(answer.json()).toEqual({ error });
    }
  });
});
