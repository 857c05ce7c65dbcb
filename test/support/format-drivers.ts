import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import type { ProviderName, WireFormat } from '../../src/core/types.js';

/** What a test sees of one call through an official SDK. */
export type CallResult =
  | { ok: true; text: string; bucket: string | null; attempts: string | null }
  | { ok: false; status: number; message: string; retryAfter: string | null };

export interface CallOptions {
  stream: boolean;
  headers?: Record<string, string>;
}

/** One inbound API format, driven by its official SDK, and the provider that serves it natively. */
export interface FormatDriver {
  format: WireFormat;
  provider: ProviderName;
  /** The simulator's rate-limit style that carries this provider's real reset signals. */
  rateLimitStyle: 'anthropic-unified' | 'openai' | 'codex' | 'gemini';
  /** A model name valid for the provider. */
  model: string;
  call(baseUrl: string, options: CallOptions): Promise<CallResult>;
}

function headerOf(headers: unknown, name: string): string | null {
  if (headers && typeof (headers as Headers).get === 'function') return (headers as Headers).get(name);
  if (headers && typeof headers === 'object') {
    const value = (headers as Record<string, unknown>)[name];
    return typeof value === 'string' ? value : null;
  }
  return null;
}

function failure(error: unknown): CallResult {
  if (
    error &&
    typeof error === 'object' &&
    'status' in error &&
    typeof (error as { status: unknown }).status === 'number'
  ) {
    const typed = error as { status: number; message: string; headers?: unknown };
    return {
      ok: false,
      status: typed.status,
      message: typed.message,
      retryAfter: headerOf(typed.headers, 'retry-after'),
    };
  }
  throw error;
}

export const anthropicDriver: FormatDriver = {
  format: 'anthropic-messages',
  provider: 'anthropic',
  rateLimitStyle: 'anthropic-unified',
  model: 'claude-sonnet-4-6',
  async call(baseUrl, options) {
    const client = new Anthropic({
      baseURL: baseUrl,
      apiKey: 'client-key',
      maxRetries: 0,
      defaultHeaders: options.headers ?? {},
    });
    const request = { model: this.model, max_tokens: 64, messages: [{ role: 'user' as const, content: 'Hello' }] };
    try {
      if (options.stream) {
        const { data, response } = await client.messages.create({ ...request, stream: true }).withResponse();
        let text = '';
        for await (const event of data)
          if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
        return {
          ok: true,
          text,
          bucket: response.headers.get('x-switchyard-bucket'),
          attempts: response.headers.get('x-switchyard-attempts'),
        };
      }
      const { data, response } = await client.messages.create(request).withResponse();
      const text = data.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
      return {
        ok: true,
        text,
        bucket: response.headers.get('x-switchyard-bucket'),
        attempts: response.headers.get('x-switchyard-attempts'),
      };
    } catch (error) {
      return failure(error);
    }
  },
};

/** Chat is driven against Qwen, the OAuth provider of this format (OpenAI itself takes API keys only). */
export const chatDriver: FormatDriver = {
  format: 'openai-chat',
  provider: 'qwen',
  rateLimitStyle: 'openai',
  model: 'qwen3-coder-plus',
  async call(baseUrl, options) {
    const client = new OpenAI({
      baseURL: `${baseUrl}/v1`,
      apiKey: 'client-key',
      maxRetries: 0,
      defaultHeaders: options.headers ?? {},
    });
    const request = { model: this.model, messages: [{ role: 'user' as const, content: 'Hello' }] };
    try {
      if (options.stream) {
        const { data, response } = await client.chat.completions
          .create({ ...request, stream: true, stream_options: { include_usage: true } })
          .withResponse();
        let text = '';
        for await (const chunk of data) text += chunk.choices[0]?.delta.content ?? '';
        return {
          ok: true,
          text,
          bucket: response.headers.get('x-switchyard-bucket'),
          attempts: response.headers.get('x-switchyard-attempts'),
        };
      }
      const { data, response } = await client.chat.completions.create(request).withResponse();
      return {
        ok: true,
        text: data.choices[0]?.message.content ?? '',
        bucket: response.headers.get('x-switchyard-bucket'),
        attempts: response.headers.get('x-switchyard-attempts'),
      };
    } catch (error) {
      return failure(error);
    }
  },
};

export const responsesDriver: FormatDriver = {
  format: 'openai-responses',
  provider: 'codex',
  rateLimitStyle: 'codex',
  model: 'gpt-5-codex',
  async call(baseUrl, options) {
    const client = new OpenAI({
      baseURL: `${baseUrl}/v1`,
      apiKey: 'client-key',
      maxRetries: 0,
      defaultHeaders: options.headers ?? {},
    });
    const request = { model: this.model, input: 'Hello' };
    try {
      if (options.stream) {
        const { data, response } = await client.responses.create({ ...request, stream: true }).withResponse();
        let text = '';
        for await (const event of data) if (event.type === 'response.output_text.delta') text += event.delta;
        return {
          ok: true,
          text,
          bucket: response.headers.get('x-switchyard-bucket'),
          attempts: response.headers.get('x-switchyard-attempts'),
        };
      }
      const { data, response } = await client.responses.create(request).withResponse();
      return {
        ok: true,
        text: data.output_text,
        bucket: response.headers.get('x-switchyard-bucket'),
        attempts: response.headers.get('x-switchyard-attempts'),
      };
    } catch (error) {
      return failure(error);
    }
  },
};

export const geminiDriver: FormatDriver = {
  format: 'gemini',
  provider: 'gemini',
  rateLimitStyle: 'gemini',
  model: 'gemini-2.5-pro',
  async call(baseUrl, options) {
    const client = new GoogleGenAI({ apiKey: 'client-key', httpOptions: { baseUrl, headers: options.headers ?? {} } });
    const request = { model: this.model, contents: 'Hello' };
    try {
      if (options.stream) {
        const stream = await client.models.generateContentStream(request);
        let text = '';
        let bucket: string | null = null;
        let attempts: string | null = null;
        for await (const chunk of stream) {
          text += chunk.text ?? '';
          bucket ??= headerOf(chunk.sdkHttpResponse?.headers, 'x-switchyard-bucket');
          attempts ??= headerOf(chunk.sdkHttpResponse?.headers, 'x-switchyard-attempts');
        }
        return { ok: true, text, bucket, attempts };
      }
      const response = await client.models.generateContent(request);
      return {
        ok: true,
        text: response.text ?? '',
        bucket: headerOf(response.sdkHttpResponse?.headers, 'x-switchyard-bucket'),
        attempts: headerOf(response.sdkHttpResponse?.headers, 'x-switchyard-attempts'),
      };
    } catch (error) {
      return failure(error);
    }
  },
};

export const formatDrivers: readonly FormatDriver[] = [anthropicDriver, chatDriver, responsesDriver, geminiDriver];
