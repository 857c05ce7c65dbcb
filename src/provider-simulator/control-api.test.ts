import { describe, expect, it } from 'vitest';
import { postJson, useSimulator } from './testing/use-simulator.js';
import type { AccountCounts, AccountCredentials } from './types.js';

describe('control API over HTTP', () => {
  const simulator = useSimulator();

  function control(path: string, body: unknown) {
    return postJson(`${simulator().url}/__sim/${path}`, body);
  }

  async function counts(): Promise<Record<string, AccountCounts>> {
    const response = await fetch(`${simulator().url}/__sim/counts`);
    return ((await response.json()) as { accounts: Record<string, AccountCounts> }).accounts;
  }

  it('adds an account and hands out its credentials', async () => {
    const answer = await control('accounts', { name: 'jo', accountId: 'chatgpt-jo', expiresInSeconds: 120 });
    expect(answer.status).toBe(200);
    const credentials = answer.json() as AccountCredentials;
    expect(credentials).toMatchObject({ accountId: 'chatgpt-jo' });
    const chat = await postJson(
      `${simulator().url}/v1/chat/completions`,
      { messages: [] },
      {
        authorization: `Bearer ${credentials.accessToken}`,
      },
    );
    expect(chat.status).toBe(200);
    expect((await counts()).jo).toMatchObject({ requests: 1, byStatus: { 200: 1 } });
  });

  it('scripts steps and sets a behaviour', async () => {
    const { apiKey } = (await control('accounts', { name: 'jo' })).json() as AccountCredentials;
    expect(
      (await control('script', { account: 'jo', steps: [{ kind: 'rate-limit', style: 'codex', resetSeconds: 60 }] }))
        .status,
    ).toBe(200);
    expect((await control('behavior', { account: 'jo', step: { kind: 'payment' } })).status).toBe(200);
    const send = () =>
      postJson(`${simulator().url}/v1/responses`, { input: 'hi' }, { authorization: `Bearer ${apiKey}` });
    expect((await send()).status).toBe(429);
    expect((await send()).status).toBe(402);
    expect((await control('behavior', { account: 'jo', step: null })).status).toBe(200);
    expect((await send()).status).toBe(200);
  });

  it('scripts device-flow polls for child processes', async () => {
    expect((await control('device-polls', { outcomes: ['slow_down'] })).status).toBe(200);
    const device = (
      await postJson(`${simulator().url}/api/accounts/deviceauth/usercode`, { client_id: 'c' })
    ).json() as { device_auth_id: string; user_code: string };
    const poll = await postJson(`${simulator().url}/api/accounts/deviceauth/token`, device);
    expect(poll.status).toBe(429);
    expect(poll.json()).toMatchObject({ error: { code: 'slow_down' } });
  });

  it("answers a scripted tool call with the tool the request offers, in the request's format", async () => {
    const { apiKey } = (await control('accounts', { name: 'jo' })).json() as AccountCredentials;
    await control('script', {
      account: 'jo',
      steps: [
        { kind: 'tool-call', arguments: { city: 'Paris' } },
        { kind: 'tool-call', name: 'lookup' },
      ],
    });
    const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }];
    const send = () =>
      postJson(
        `${simulator().url}/v1/chat/completions`,
        { messages: [], tools },
        { authorization: `Bearer ${apiKey}` },
      );
    expect((await send()).json()).toMatchObject({
      choices: [
        {
          message: {
            content: null,
            tool_calls: [{ type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
          },
          finish_reason: 'tool_calls',
        },
      ],
    });
    expect((await send()).json()).toMatchObject({
      choices: [{ message: { tool_calls: [{ function: { name: 'lookup', arguments: '{}' } }] } }],
    });
  });

  it('resets counts', async () => {
    const { apiKey } = (await control('accounts', { name: 'jo' })).json() as AccountCredentials;
    await postJson(`${simulator().url}/v1/responses`, { input: 'hi' }, { authorization: `Bearer ${apiKey}` });
    expect((await control('reset-counts', {})).status).toBe(200);
    expect((await counts()).jo).toMatchObject({ requests: 0 });
  });

  it.each([
    ['accounts', {}, /`name`/],
    ['script', { account: 'jo', steps: [{ kind: 'explode' }] }, /`kind`/],
    ['script', { account: 'jo', steps: [{ kind: 'rate-limit', style: 'carrier-pigeon', resetSeconds: 1 }] }, /`style`/],
    ['script', { account: 'nobody', steps: [] }, /Unknown simulator account `nobody`/],
    ['behavior', { account: 'jo', step: { kind: 'server-error', status: 418 } }, /`status`/],
    ['device-polls', { outcomes: ['approved'] }, /`outcomes`/],
    [
      'script',
      { account: 'jo', steps: [{ kind: 'tool-call', arguments: ['Paris'] }] },
      /Expected `arguments` to be an object/,
    ],
    ['script', { account: 'jo', steps: [{ kind: 'tool-call', name: '' }] }, /Expected `name` to be a tool name/],
  ])('refuses bad input to %s with a message that says what is wrong', async (path, body, message) => {
    await control('accounts', { name: 'jo' });
    const answer = await control(path, body);
    expect(answer.status).toBe(400);
    expect((answer.json() as { error: string }).error).toMatch(message);
  });

  it('answers 404 for unknown control routes', async () => {
    expect((await control('teleport', {})).status).toBe(404);
  });
});
