import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './support/harness.js';

const verdictSchema = {
  type: 'object',
  properties: { verdict: { type: 'string', enum: ['yes', 'no'] }, confidence: { type: 'number' } },
  required: ['verdict', 'confidence'],
  additionalProperties: false,
};

/** Structured output survives translation: the provider is asked for JSON and the client can parse what comes back. */
describe('JSON mode through a provider of another format', () => {
  let harness: Harness;
  let url: string;

  beforeEach(async () => {
    harness = await createHarness();
    await harness.addBucket('gemini', 'g');
    await harness.addBucket('anthropic', 'a');
    await harness.writeProfile('google', 'type: model\nprovider: gemini\nmodel: gemini-2.5-flash\nbuckets: [g]\n');
    await harness.writeProfile('claude', 'type: model\nprovider: anthropic\nmodel: claude-sonnet-4-6\nbuckets: [a]\n');
    url = (await harness.startRouter()).url;
  });

  afterEach(async () => {
    await harness.close();
  });

  it('gives a Chat client asking for json_schema, served by a gemini bucket, parseable JSON, plain and streamed', async () => {
    const client = new OpenAI({
      baseURL: `${url}/v1`,
      apiKey: 'client-key',
      maxRetries: 0,
      defaultHeaders: { 'x-switchyard-profile': 'google' },
    });
    const request = {
      model: 'gpt-4.1',
      messages: [{ role: 'user' as const, content: 'Is the sky blue?' }],
      response_format: {
        type: 'json_schema' as const,
        json_schema: { name: 'verdict', schema: verdictSchema, strict: true },
      },
    };
    const completion = await client.chat.completions.create(request).withResponse();
    expect(completion.response.headers.get('x-switchyard-bucket')).toBe('gemini/g');
    expect(JSON.parse(completion.data.choices[0]?.message.content ?? '')).toEqual({ verdict: 'yes', confidence: 1 });
    const stream = await client.chat.completions.create({ ...request, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(JSON.parse(text)).toEqual({ verdict: 'yes', confidence: 1 });
  });

  it('gives a Gemini client asking for a responseJsonSchema, served by an anthropic bucket, parseable JSON', async () => {
    const client = new GoogleGenAI({
      apiKey: 'client-key',
      httpOptions: { baseUrl: url, headers: { 'x-switchyard-profile': 'claude' } },
    });
    const answer = await client.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'Is the sky blue?',
      config: { responseMimeType: 'application/json', responseJsonSchema: verdictSchema },
    });
    expect(JSON.parse(answer.text ?? '')).toEqual({ verdict: 'yes', confidence: 1 });
  });
});
