import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { postJson, useSimulator } from './testing/use-simulator.js';

const request = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Say hello' }] };

describe('OpenAI Chat Completions', () => {
  const simulator = useSimulator();

  function client(apiKey: string): OpenAI {
    return new OpenAI({ apiKey, baseURL: `${simulator().url}/v1`, maxRetries: 0 });
  }

  it('answers a plain request that the SDK parses, with usage', async () => {
    const { apiKey } = simulator().addAccount('bob');
    const completion = await client(apiKey).chat.completions.create(request);
    const text = completion.choices[0]?.message.content ?? '';
    expect(text).toMatch(/^Hello from bob /);
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject({
      prompt_tokens: Math.ceil(JSON.stringify(request).length / 4),
      completion_tokens: text.split(' ').length,
    });
  });

  it('streams chunks and a final usage chunk when include_usage is set', async () => {
    const { accessToken } = simulator().addAccount('bob');
    const stream = await client(accessToken).chat.completions.create({
      ...request,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usageChunks = 0;
    let finishReason: string | null = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finishReason = chunk.choices[0]?.finish_reason ?? finishReason;
      if (chunk.usage) {
        usageChunks += 1;
        expect(chunk.choices).toEqual([]);
        expect(chunk.usage.completion_tokens).toBe(text.split(' ').length);
      }
    }
    expect(text).toMatch(/^Hello from bob /);
    expect(finishReason).toBe('stop');
    expect(usageChunks).toBe(1);
  });

  it('streams without a usage chunk unless asked, ending with [DONE]', async () => {
    const { apiKey } = simulator().addAccount('bob');
    const answer = await postJson(
      `${simulator().url}/v1/chat/completions`,
      { ...request, stream: true },
      {
        authorization: `Bearer ${apiKey}`,
      },
    );
    expect(answer.text).not.toContain('"usage"');
    expect(answer.text.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('gives the SDK stream helper a completion it can assemble', async () => {
    const { apiKey } = simulator().addAccount('bob');
    simulator().script('bob', [{ kind: 'ok', streamEvents: 12 }]);
    const final = await client(apiKey)
      .chat.completions.stream({ ...request, stream_options: { include_usage: true } })
      .finalChatCompletion();
    expect(final.choices[0]?.message.content).toMatch(/^Hello from bob /);
    expect(final.usage?.completion_tokens).toBe(12);
  });

  it('lists models', async () => {
    const { apiKey } = simulator().addAccount('bob');
    const models = await client(apiKey).models.list();
    expect(models.data.map((model) => model.id)).toContain('gpt-4o-mini');
  });

  it('answers unknown credentials with invalid_api_key', async () => {
    simulator().addAccount('bob');
    const failure = await client('sk-wrong')
      .chat.completions.create(request)
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((failure as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe('invalid_api_key');
    expect((failure as InstanceType<typeof OpenAI.AuthenticationError>).type).toBe('invalid_request_error');
  });
});
