import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { schemaInstance } from './schema-instance.js';
import { postJson, useSimulator } from './testing/use-simulator.js';

/** The shape of Gemini CLI's model classifier answer. */
const routerSchema = {
  type: 'object',
  properties: {
    reasoning: { type: 'string' },
    model_choice: { type: 'string', enum: ['flash', 'pro'] },
    score: { type: 'integer', minimum: 3 },
    note: { type: 'string' },
  },
  required: ['reasoning', 'model_choice', 'score'],
};
const routerInstance = { reasoning: 'simulated', model_choice: 'flash', score: 3 };

describe('simulator JSON mode', () => {
  const simulator = useSimulator();

  function openai(apiKey: string): OpenAI {
    return new OpenAI({ apiKey, baseURL: `${simulator().url}/v1`, maxRetries: 0 });
  }

  it('builds minimal schema instances: required properties, enums, arrays, unions', () => {
    expect(schemaInstance(routerSchema)).toEqual(routerInstance);
    expect(schemaInstance({ type: 'array', items: { type: 'boolean' }, minItems: 2 })).toEqual([false, false]);
    expect(schemaInstance({ anyOf: [{ type: 'number' }, { type: 'string' }] })).toBe(1);
    expect(schemaInstance({ type: 'integer', maximum: -2 })).toBe(-2);
    expect(schemaInstance({ type: ['null', 'string'] })).toBe('simulated');
    expect(schemaInstance({ const: 'fixed' })).toBe('fixed');
  });

  it('Chat: json_schema and json_object answers parse, plain and streamed', async () => {
    const { apiKey } = simulator().addAccount('bob');
    const messages = [{ role: 'user' as const, content: 'route' }];
    const schemaAnswer = await openai(apiKey).chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      response_format: { type: 'json_schema', json_schema: { name: 'router', schema: routerSchema } },
    });
    expect(JSON.parse(schemaAnswer.choices[0]?.message.content ?? '')).toEqual(routerInstance);
    const stream = await openai(apiKey).chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      response_format: { type: 'json_object' },
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(JSON.parse(text)).toEqual({ answer: expect.stringMatching(/^Hello from bob /) as unknown });
  });

  it('Responses: text.format json_schema answers parse, plain and streamed', async () => {
    const { apiKey } = simulator().addAccount('carol');
    const text = { format: { type: 'json_schema' as const, name: 'router', schema: routerSchema } };
    const answer = await openai(apiKey).responses.create({ model: 'gpt-5', input: 'route', text });
    expect(JSON.parse(answer.output_text)).toEqual(routerInstance);
    const stream = await openai(apiKey).responses.create({ model: 'gpt-5', input: 'route', text, stream: true });
    let streamed = '';
    for await (const event of stream) if (event.type === 'response.output_text.delta') streamed += event.delta;
    expect(JSON.parse(streamed)).toEqual(routerInstance);
  });

  it('Gemini: responseJsonSchema and OpenAPI responseSchema answers parse, plain and streamed', async () => {
    const { apiKey } = simulator().addAccount('dave');
    const gemini = new GoogleGenAI({ apiKey, httpOptions: { baseUrl: simulator().url } });
    const answer = await gemini.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'route',
      config: { responseMimeType: 'application/json', responseJsonSchema: routerSchema },
    });
    expect(JSON.parse(answer.text ?? '')).toEqual(routerInstance);
    const stream = await gemini.models.generateContentStream({
      model: 'gemini-2.5-flash',
      contents: 'route',
      config: {
        responseMimeType: 'application/json',
        responseSchema: { type: 'OBJECT' as never, properties: { ok: { type: 'BOOLEAN' as never } }, required: ['ok'] },
      },
    });
    let streamed = '';
    for await (const chunk of stream) streamed += chunk.text ?? '';
    expect(JSON.parse(streamed)).toEqual({ ok: false });
  });

  it('Gemini Code Assist: the wrapped request’s generationConfig is honoured', async () => {
    const { accessToken } = simulator().addAccount('dave');
    const wrapped = {
      model: 'gemini-2.5-flash',
      project: 'p',
      request: {
        contents: [{ role: 'user', parts: [{ text: 'route' }] }],
        generationConfig: { responseMimeType: 'application/json', responseJsonSchema: routerSchema },
      },
    };
    const answer = await postJson(`${simulator().url}/v1internal:generateContent`, wrapped, {
      authorization: `Bearer ${accessToken}`,
    });
    const body = answer.json() as { response: { candidates: Array<{ content: { parts: Array<{ text: string }> } }> } };
    expect(JSON.parse(body.response.candidates[0]?.content.parts[0]?.text ?? '')).toEqual(routerInstance);
  });

  it('Anthropic: output_config.format answers parse, plain and streamed', async () => {
    const { apiKey } = simulator().addAccount('erin');
    const anthropic = new Anthropic({ apiKey, authToken: null, baseURL: simulator().url, maxRetries: 0 });
    const body = {
      model: 'claude-sonnet-4-6',
      max_tokens: 100,
      messages: [{ role: 'user' as const, content: 'route' }],
      output_config: { format: { type: 'json_schema' as const, schema: routerSchema } },
    };
    const message = await anthropic.messages.create(body);
    const block = message.content[0];
    expect(block?.type === 'text' ? JSON.parse(block.text) : undefined).toEqual(routerInstance);
    let streamed = '';
    for await (const event of anthropic.messages.stream(body))
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') streamed += event.delta.text;
    expect(JSON.parse(streamed)).toEqual(routerInstance);
  });
});
