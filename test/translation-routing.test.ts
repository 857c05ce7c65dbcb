import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chatDriver, geminiDriver } from './support/format-drivers.js';
import { createHarness, type Harness } from './support/harness.js';
import { errorOf, postRaw } from './support/raw-requests.js';

/** Routing behaviour that only exists when the provider speaks another format than the client. */
describe('routing translated requests', () => {
  let harness: Harness;
  let url: string;

  beforeEach(async () => {
    harness = await createHarness();
    for (const bucket of ['a', 'b']) await harness.addBucket('anthropic', bucket);
    await harness.addBucket('gemini', 'g');
    await harness.writeProfile(
      'claude',
      'type: model\nprovider: anthropic\nmodel: claude-sonnet-4-6\nbuckets: [a, b]\n',
    );
    await harness.writeProfile('google', 'type: model\nprovider: gemini\nmodel: gemini-2.5-pro\nbuckets: [g]\n');
    url = (await harness.startRouter()).url;
  });

  afterEach(async () => {
    await harness.close();
  });

  it('fails over when a translated stream opens with an error event, before the client saw a byte', async () => {
    harness.simulator.script('anthropic-a', [
      { kind: 'stream-error' },
      { kind: 'stream-error' },
      { kind: 'stream-error' },
    ]);
    const result = await geminiDriver.call(url, { stream: true, headers: { 'x-switchyard-profile': 'claude' } });
    expect(result).toMatchObject({
      ok: true,
      text: 'Hello from anthropic-b via the switchyard provider simulator',
      bucket: 'anthropic/b',
    });
    expect(harness.simulator.counts('anthropic-a').requests).toBe(3);
  });

  it("ends a translated stream that breaks after it started with an error in the client's format", async () => {
    harness.simulator.script('anthropic-a', [{ kind: 'stream-cut', afterEvents: 4 }]);
    // The openai SDK raises the chat error chunk as an APIError (without a status, as for any in-stream error).
    await expect(chatDriver.call(url, { stream: true, headers: { 'x-switchyard-profile': 'claude' } })).rejects.toThrow(
      'The upstream stream broke off after it had started; the answer is incomplete.',
    );
    expect(harness.simulator.counts('anthropic-b').requests).toBe(0);
  });

  it('counts the usage of translated streams', async () => {
    expect(await chatDriver.call(url, { stream: true, headers: { 'x-switchyard-profile': 'google' } })).toMatchObject({
      ok: true,
      bucket: 'gemini/g',
    });
    const stats = (await (await fetch(`${url}/stats/buckets`)).json()) as {
      buckets: { key: string; requests: number; inputTokens: number; outputTokens: number }[];
    };
    const bucket = stats.buckets.find((entry) => entry.key === 'gemini/g');
    expect(bucket).toMatchObject({ requests: 1, outputTokens: 8 });
    expect(bucket!.inputTokens).toBeGreaterThan(0);
  });

  it("keeps token counting on Anthropic buckets: a profile without one says so in the caller's format", async () => {
    const answer = await postRaw(
      url,
      '/v1/messages/count_tokens',
      JSON.stringify({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'Hi' }] }),
      {
        'x-switchyard-profile': 'google',
      },
    );
    expect(answer.status).toBe(400);
    expect(errorOf('anthropic-messages', answer.body).message).toBe(
      'Profile "google" has no bucket whose provider speaks the ' +
        'anthropic-messages format; pick a profile for this API with the ' +
        'x-switchyard-profile header or `switchyard profile load`.',
    );
    expect(harness.simulator.totalRequests()).toBe(0);
  });

  it("answers 502 in the caller's format when every attempt on the other provider failed", async () => {
    harness.simulator.script('gemini-g', [
      { kind: 'server-error' },
      { kind: 'server-error' },
      { kind: 'server-error' },
    ]);
    const answer = await postRaw(
      url,
      '/v1/chat/completions',
      JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'Hi' }] }),
      {
        'x-switchyard-profile': 'google',
      },
    );
    expect(answer.status).toBe(502);
    expect(errorOf('openai-chat', answer.body).message).toBe(
      'Every bucket that could serve this request failed (attempts: gemini/g:500, gemini/g:500, gemini/g:500).',
    );
  });

  it('asks the Codex backend, which only streams, for a stream and gathers it into one answer for a client that did not stream', async () => {
    await harness.addBucket('codex', 'c');
    await harness.writeProfile('chatgpt', 'type: model\nprovider: codex\nmodel: gpt-5-codex\nbuckets: [c]\n');
    const text = await chatDriver.call(url, { stream: false, headers: { 'x-switchyard-profile': 'chatgpt' } });
    expect(text).toEqual({
      ok: true,
      text: 'Hello from codex-c via the switchyard provider simulator',
      bucket: 'codex/c',
      attempts: 'codex/c:200',
    });
    harness.simulator.script('codex-c', [{ kind: 'tool-call', arguments: { city: 'Paris' } }]);
    const tool = await postRaw(
      url,
      '/v1/messages',
      JSON.stringify({
        model: 'claude-sonnet-4-6',
        max_tokens: 64,
        messages: [{ role: 'user', content: 'Weather?' }],
        tools: [{ name: 'get_weather', input_schema: { type: 'object' } }],
      }),
      {
        'x-switchyard-profile': 'chatgpt',
      },
    );
    expect(tool.headers.get('content-type')).toBe('application/json');
    expect(tool.body).toMatchObject({
      type: 'message',
      stop_reason: 'tool_use',
      content: [{ type: 'tool_use', name: 'get_weather', input: { city: 'Paris' } }],
    });
    // An error at the start of the gathered stream fails over like any stream error.
    harness.simulator.script('codex-c', [{ kind: 'stream-error', errorType: 'rate_limit_exceeded' }]);
    const limited = await chatDriver.call(url, { stream: false, headers: { 'x-switchyard-profile': 'chatgpt' } });
    expect(limited).toMatchObject({ ok: false, status: 429 });
  });
});
