import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { claudeCodeIdentity, oauthBeta } from './request-gates.js';
import { postJson, useSimulator } from './testing/use-simulator.js';

const request = {
  model: 'claude-sonnet-4-6',
  max_tokens: 64,
  messages: [{ role: 'user' as const, content: 'Say hello' }],
};

describe('Anthropic Messages', () => {
  const simulator = useSimulator();

  function apiKeyClient(apiKey: string): Anthropic {
    return new Anthropic({ apiKey, authToken: null, baseURL: simulator().url, maxRetries: 0 });
  }

  function oauthClient(accessToken: string, betas: string[] = [oauthBeta]): Anthropic {
    return new Anthropic({
      apiKey: null,
      authToken: accessToken,
      baseURL: simulator().url,
      maxRetries: 0,
      defaultHeaders: { 'anthropic-beta': betas.join(',') },
    });
  }

  it('answers a plain request that the SDK parses, with usage from the request size and words', async () => {
    const { apiKey } = simulator().addAccount('alice');
    const message = await apiKeyClient(apiKey).messages.create(request);
    const text = message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
    expect(text).toMatch(/^Hello from alice /);
    expect(message.role).toBe('assistant');
    expect(message.model).toBe('claude-sonnet-4-6');
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage.output_tokens).toBe(text.split(' ').length);
    expect(message.usage.input_tokens).toBe(Math.ceil(JSON.stringify(request).length / 4));
  });

  it('streams the real event sequence, which the SDK accumulates into the same message', async () => {
    const { apiKey } = simulator().addAccount('alice');
    const client = apiKeyClient(apiKey);
    const events: string[] = [];
    const stream = client.messages.stream(request);
    stream.on('streamEvent', (event) => events.push(event.type));
    const message = await stream.finalMessage();
    expect(events).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const plain = await client.messages.create(request);
    expect(message.content).toEqual(plain.content);
    expect(message.usage.output_tokens).toBe(plain.usage.output_tokens);
    expect(message.usage.input_tokens).toBeGreaterThan(0);
  });

  it('sends a ping after content_block_start, as the real API does', async () => {
    const { apiKey } = simulator().addAccount('alice');
    const answer = await postJson(
      `${simulator().url}/v1/messages`,
      { ...request, stream: true },
      { 'x-api-key': apiKey },
    );
    const eventNames = [...answer.text.matchAll(/^event: (.+)$/gm)].map((match) => match[1]);
    expect(eventNames.slice(0, 3)).toEqual(['message_start', 'content_block_start', 'ping']);
    expect(answer.headers.get('content-type')).toContain('text/event-stream');
  });

  it('splits the text over as many deltas as the step asks for', async () => {
    const { apiKey } = simulator().addAccount('alice');
    simulator().script('alice', [{ kind: 'ok', streamEvents: 40 }]);
    let deltas = 0;
    const stream = apiKeyClient(apiKey).messages.stream(request);
    stream.on('text', () => (deltas += 1));
    const message = await stream.finalMessage();
    expect(deltas).toBe(40);
    expect(message.usage.output_tokens).toBe(40);
  });

  it('counts tokens', async () => {
    const { apiKey } = simulator().addAccount('alice');
    const counted = await apiKeyClient(apiKey).messages.countTokens({
      model: request.model,
      messages: request.messages,
    });
    expect(counted.input_tokens).toBeGreaterThan(0);
  });

  it('accepts an OAuth token from a request that looks like Claude Code', async () => {
    const { accessToken } = simulator().addAccount('alice');
    const message = await oauthClient(accessToken, ['claude-code-20250219', oauthBeta]).messages.create({
      ...request,
      system: [
        { type: 'text', text: claudeCodeIdentity },
        { type: 'text', text: 'More instructions.' },
      ],
    });
    expect(message.content[0]).toMatchObject({ type: 'text' });
  });

  it('accepts the Claude Code identity as a plain string system prompt too', async () => {
    const { accessToken } = simulator().addAccount('alice');
    const message = await oauthClient(accessToken).messages.create({ ...request, system: claudeCodeIdentity });
    expect(message.stop_reason).toBe('end_turn');
  });

  it.each([
    ['without the OAuth beta header', [], claudeCodeIdentity],
    ['without a system prompt', [oauthBeta], undefined],
    ['with another first system block', [oauthBeta], 'You are a helpful assistant.'],
  ])('refuses an OAuth token %s', async (_case, betas, system) => {
    const { accessToken } = simulator().addAccount('alice');
    const headers: Record<string, string> = {
      authorization: `Bearer ${accessToken}`,
      'anthropic-version': '2023-06-01',
    };
    if (betas.length > 0) headers['anthropic-beta'] = betas.join(',');
    const body = system === undefined ? request : { ...request, system };
    const answer = await postJson(`${simulator().url}/v1/messages`, body, headers);
    expect(answer.status).toBe(400);
    expect(answer.json()).toEqual({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message:
          'This credential is only authorized for use with Claude Code and cannot be used for other API requests.',
      },
    });
  });

  it('lets an API key through without the Claude Code requirements', async () => {
    const { apiKey } = simulator().addAccount('alice');
    const answer = await postJson(`${simulator().url}/v1/messages`, request, { authorization: `Bearer ${apiKey}` });
    expect(answer.status).toBe(200);
  });

  it('answers unknown credentials with a 401 the SDK reads as an authentication error', async () => {
    simulator().addAccount('alice');
    const failure = await apiKeyClient('sk-ant-wrong')
      .messages.create(request)
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((failure as InstanceType<typeof Anthropic.AuthenticationError>).error).toMatchObject({
      type: 'error',
      error: { type: 'authentication_error' },
    });
  });
});
