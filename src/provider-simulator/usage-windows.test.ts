import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/manual-clock.js';
import { type Simulator, startSimulator } from './index.js';

let simulator: Simulator;
const clock = new ManualClock(Date.parse('2026-11-23T10:00:00.000Z'));

beforeEach(async () => {
  simulator = await startSimulator({ clock });
});

afterEach(async () => {
  await simulator.close();
});

async function ask(apiKey: string, model = 'claude-sonnet-4-6', path = '/v1/messages'): Promise<Response> {
  return fetch(`${simulator.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey, authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ model, max_tokens: 8, messages: [{ role: 'user', content: 'Hi' }], input: 'Hi' }),
  });
}

describe('usage windows', () => {
  it("spends each answer in the account's windows, says so in Anthropic's headers, refuses a full one until its end", async () => {
    const account = simulator.addAccount('metered');
    simulator.setUsageWindows('metered', {
      style: 'anthropic',
      windows: [
        { seconds: 5 * 3600, capacity: 10, used: 8 },
        { seconds: 7 * 86_400, capacity: 100, used: 50, resetInSeconds: 3 * 86_400 },
      ],
    });
    const first = await ask(account.apiKey);
    expect(first.status).toBe(200);
    expect(first.headers.get('anthropic-ratelimit-unified-5h-utilization')).toBe('0.9000');
    expect(first.headers.get('anthropic-ratelimit-unified-5h-status')).toBe('allowed_warning');
    expect(first.headers.get('anthropic-ratelimit-unified-7d-utilization')).toBe('0.5100');
    expect(first.headers.get('anthropic-ratelimit-unified-7d-reset')).toBe(String(clock.now() / 1000 + 3 * 86_400));
    expect((await ask(account.apiKey)).status).toBe(200);
    const refused = await ask(account.apiKey);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('anthropic-ratelimit-unified-5h-status')).toBe('rejected');
    expect(refused.headers.get('anthropic-ratelimit-unified-status')).toBe('rejected');
    expect(refused.headers.get('anthropic-ratelimit-unified-reset')).toBe(String(clock.now() / 1000 + 5 * 3600));
    clock.advance(5 * 3600 * 1000);
    const renewed = await ask(account.apiKey);
    expect(renewed.status).toBe(200);
    expect(renewed.headers.get('anthropic-ratelimit-unified-5h-utilization')).toBe('0.1000');
    expect(simulator.usageWindows('metered').map((window) => [window.name, window.used])).toEqual([
      ['5h', 1],
      ['7d', 53],
    ]);
  });

  it('limits a model family by its own window: Opus is refused, Sonnet served', async () => {
    const account = simulator.addAccount('opus-capped');
    simulator.setUsageWindows('opus-capped', {
      style: 'anthropic',
      windows: [
        { seconds: 5 * 3600, capacity: 100 },
        { seconds: 7 * 86_400, capacity: 1, family: 'opus', used: 1 },
      ],
    });
    const opus = await ask(account.apiKey, 'claude-opus-4-1');
    expect(opus.status).toBe(429);
    expect(opus.headers.get('anthropic-ratelimit-unified-7d_opus-status')).toBe('rejected');
    expect(opus.headers.get('anthropic-ratelimit-unified-5h-status')).toBe('allowed');
    expect((await ask(account.apiKey, 'claude-sonnet-4-6')).status).toBe(200);
  });

  it("carries Codex's primary and secondary windows by length, and OpenAI's request limit", async () => {
    const codex = simulator.addAccount('codex-metered');
    simulator.setUsageWindows('codex-metered', {
      style: 'codex',
      windows: [
        { seconds: 7 * 86_400, capacity: 100, used: 10 },
        { seconds: 5 * 3600, capacity: 4 },
      ],
    });
    const answer = await fetch(`${simulator.url}/backend-api/codex/responses`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${codex.accessToken}`,
        'chatgpt-account-id': codex.accountId,
      },
      body: JSON.stringify({ model: 'gpt-5-codex', input: 'Hi', stream: true }),
    });
    await answer.text();
    expect(answer.headers.get('x-codex-primary-window-minutes')).toBe('300');
    expect(answer.headers.get('x-codex-primary-used-percent')).toBe('25');
    expect(answer.headers.get('x-codex-secondary-window-minutes')).toBe('10080');
    expect(answer.headers.get('x-codex-secondary-used-percent')).toBe('11');

    const key = simulator.addAccount('openai-metered');
    simulator.setUsageWindows('openai-metered', { style: 'openai', windows: [{ seconds: 60, capacity: 5 }] });
    const chat = await ask(key.apiKey, 'gpt-4o-mini', '/v1/chat/completions');
    expect(chat.headers.get('x-ratelimit-remaining-requests')).toBe('4');
    expect(chat.headers.get('x-ratelimit-reset-requests')).toBe('60s');
  });
});
