import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { postJson, useSimulator } from './testing/use-simulator.js';

const request = { model: 'gpt-5-codex', input: 'Say hello' };

describe('OpenAI Responses', () => {
  const simulator = useSimulator();

  function client(credential: string): OpenAI {
    return new OpenAI({ apiKey: credential, baseURL: `${simulator().url}/v1`, maxRetries: 0 });
  }

  function codexClient(accessToken: string, accountId: string): OpenAI {
    return new OpenAI({
      apiKey: accessToken,
      baseURL: `${simulator().url}/backend-api/codex`,
      maxRetries: 0,
      defaultHeaders: { 'chatgpt-account-id': accountId },
    });
  }

  it('answers a plain request that the SDK parses, with usage', async () => {
    const { apiKey } = simulator().addAccount('carol');
    const response = await client(apiKey).responses.create(request);
    expect(response.status).toBe('completed');
    expect(response.output_text).toMatch(/^Hello from carol /);
    expect(response.usage?.output_tokens).toBe(response.output_text.split(' ').length);
    expect(response.usage?.input_tokens).toBe(Math.ceil(JSON.stringify(request).length / 4));
  });

  it('streams the real event sequence with increasing sequence numbers', async () => {
    const { apiKey } = simulator().addAccount('carol');
    const stream = await client(apiKey).responses.create({ ...request, stream: true });
    const types: string[] = [];
    const sequenceNumbers: number[] = [];
    for await (const event of stream) {
      types.push(event.type);
      sequenceNumbers.push(event.sequence_number);
    }
    expect(types).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      ...Array<string>(5).fill('response.output_text.delta'),
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(sequenceNumbers).toEqual(types.map((_type, index) => index));
  });

  it('names each event in the SSE event field too', async () => {
    const { apiKey } = simulator().addAccount('carol');
    const answer = await postJson(
      `${simulator().url}/v1/responses`,
      { ...request, stream: true },
      {
        authorization: `Bearer ${apiKey}`,
      },
    );
    const frames = answer.text.trim().split('\n\n');
    for (const frame of frames) {
      const [eventLine, dataLine] = frame.split('\n');
      const data = JSON.parse((dataLine ?? '').slice('data: '.length)) as { type: string };
      expect(eventLine).toBe(`event: ${data.type}`);
    }
  });

  it('gives the SDK stream helper a final response with usage', async () => {
    const { apiKey } = simulator().addAccount('carol');
    const final = await client(apiKey).responses.stream(request).finalResponse();
    expect(final.output_text).toMatch(/^Hello from carol /);
    expect(final.usage?.total_tokens).toBe((final.usage?.input_tokens ?? 0) + (final.usage?.output_tokens ?? 0));
  });

  it('serves the Codex backend to an OAuth token with its own ChatGPT account id', async () => {
    const { accessToken, accountId } = simulator().addAccount('carol', { accountId: 'chatgpt-123' });
    expect(accountId).toBe('chatgpt-123');
    const final = await codexClient(accessToken, accountId).responses.stream(request).finalResponse();
    expect(final.output_text).toMatch(/^Hello from carol /);
  });

  it('refuses the Codex backend without the matching chatgpt-account-id', async () => {
    const { accessToken } = simulator().addAccount('carol');
    const failure = await codexClient(accessToken, 'acct-someone-else')
      .responses.create(request)
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    expect((failure as InstanceType<typeof OpenAI.BadRequestError>).type).toBe('invalid_request_error');
  });

  it('defaults the ChatGPT account id to acct-<name>', async () => {
    const { accessToken, accountId } = simulator().addAccount('carol');
    expect(accountId).toBe('acct-carol');
    const response = await codexClient(accessToken, 'acct-carol').responses.create(request);
    expect(response.status).toBe('completed');
  });

  it('answers an unknown token on the Codex backend with token_expired', async () => {
    simulator().addAccount('carol');
    const answer = await postJson(`${simulator().url}/backend-api/codex/responses`, request, {
      authorization: 'Bearer not-a-token',
      'chatgpt-account-id': 'acct-carol',
    });
    expect(answer.status).toBe(401);
    expect(answer.json()).toMatchObject({ error: { code: 'token_expired', type: 'invalid_request_error' } });
  });
});
