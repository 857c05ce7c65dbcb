import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import type { WireFormat } from '../../core/types.js';

/** Internal (tests): what an official SDK raised. */
export interface RaisedError {
  error: Error;
  status: number | undefined;
  message: string;
  /** How many stream items the SDK yielded before it raised. */
  itemsBefore: number;
}

/**
 * Calls `url` with the official SDK of `format`, retries off, and returns what it raised; throws
 * when the SDK took the answer as a success.
 */
export async function callWithSdk(format: WireFormat, url: string, stream: boolean): Promise<RaisedError> {
  let items = 0;
  try {
    if (format === 'anthropic-messages') {
      const client = new Anthropic({ baseURL: url, apiKey: 'test-key', maxRetries: 0 });
      const request = {
        model: 'claude-sonnet-4-6',
        max_tokens: 16,
        messages: [{ role: 'user' as const, content: 'Hi' }],
      };
      if (stream) for await (const _event of await client.messages.create({ ...request, stream: true })) items++;
      else await client.messages.create(request);
    } else if (format === 'openai-chat') {
      const client = new OpenAI({ baseURL: url, apiKey: 'test-key', maxRetries: 0 });
      const request = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: 'Hi' }] };
      if (stream)
        for await (const _chunk of await client.chat.completions.create({ ...request, stream: true })) items++;
      else await client.chat.completions.create(request);
    } else if (format === 'openai-responses') {
      const client = new OpenAI({ baseURL: url, apiKey: 'test-key', maxRetries: 0 });
      if (stream)
        for await (const _event of await client.responses.create({ model: 'gpt-5', input: 'Hi', stream: true }))
          items++;
      else await client.responses.create({ model: 'gpt-5', input: 'Hi' });
    } else {
      const client = new GoogleGenAI({
        apiKey: 'test-key',
        httpOptions: { baseUrl: url, retryOptions: { attempts: 1 } },
      });
      if (stream)
        for await (const _chunk of await client.models.generateContentStream({
          model: 'gemini-2.5-flash',
          contents: 'Hi',
        }))
          items++;
      else await client.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Hi' });
    }
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    const status = (error as { status?: unknown }).status;
    return {
      error,
      status: typeof status === 'number' ? status : undefined,
      message: error.message,
      itemsBefore: items,
    };
  }
  throw new Error(`the ${format} SDK took the answer as a success (${items} stream items)`);
}
