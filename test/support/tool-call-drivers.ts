import Anthropic from '@anthropic-ai/sdk';
import { type FunctionCall, GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import type { WireFormat } from '../../src/core/types.js';

/** One tool call as the inbound format's SDK parsed it. */
export interface ParsedToolCall {
  id: string | undefined;
  name: string;
  arguments: unknown;
}

/** What a test sees of a tool-offering call: the calls and whether the SDK's answer says the model wants a tool. */
export interface ToolCallResult {
  calls: ParsedToolCall[];
  /** The answer's own stop word: `tool_use`, `tool_calls`, `completed`, `STOP`. */
  stopReason: string | null | undefined;
}

export interface ToolCallOptions {
  stream: boolean;
  headers: Record<string, string>;
}

const description = 'Current weather in a city';
const parameters = { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] };

/**
 * Offers a `get_weather` tool through the official SDK of a format and returns the calls that the
 * SDK's own parser (and, for streams, its stream accumulator) made of the answer.
 */
export async function callWithTool(
  format: WireFormat,
  baseUrl: string,
  options: ToolCallOptions,
): Promise<ToolCallResult> {
  switch (format) {
    case 'anthropic-messages': {
      const client = new Anthropic({
        baseURL: baseUrl,
        apiKey: 'client-key',
        maxRetries: 0,
        defaultHeaders: options.headers,
      });
      const request = {
        model: 'claude-sonnet-4-6',
        max_tokens: 256,
        messages: [{ role: 'user' as const, content: 'Weather in Paris?' }],
        tools: [{ name: 'get_weather', description, input_schema: parameters }],
      };
      const message = options.stream
        ? await client.messages.stream(request).finalMessage()
        : await client.messages.create(request);
      return {
        calls: message.content.flatMap((block) =>
          block.type === 'tool_use' ? [{ id: block.id, name: block.name, arguments: block.input }] : [],
        ),
        stopReason: message.stop_reason,
      };
    }
    case 'openai-chat': {
      const client = new OpenAI({
        baseURL: `${baseUrl}/v1`,
        apiKey: 'client-key',
        maxRetries: 0,
        defaultHeaders: options.headers,
      });
      const request = {
        model: 'gpt-4.1',
        messages: [{ role: 'user' as const, content: 'Weather in Paris?' }],
        tools: [{ type: 'function' as const, function: { name: 'get_weather', description, parameters } }],
      };
      const completion = options.stream
        ? await client.chat.completions.stream(request).finalChatCompletion()
        : await client.chat.completions.create(request);
      const choice = completion.choices[0];
      return {
        calls: (choice?.message.tool_calls ?? []).flatMap((call) =>
          call.type === 'function'
            ? [{ id: call.id, name: call.function.name, arguments: JSON.parse(call.function.arguments) as unknown }]
            : [],
        ),
        stopReason: choice?.finish_reason,
      };
    }
    case 'openai-responses': {
      const client = new OpenAI({
        baseURL: `${baseUrl}/v1`,
        apiKey: 'client-key',
        maxRetries: 0,
        defaultHeaders: options.headers,
      });
      const request = {
        model: 'gpt-5-codex',
        input: 'Weather in Paris?',
        tools: [{ type: 'function' as const, name: 'get_weather', description, parameters, strict: false }],
      };
      const response = options.stream
        ? await client.responses.stream(request).finalResponse()
        : await client.responses.create(request);
      return {
        calls: response.output.flatMap((item) =>
          item.type === 'function_call'
            ? [{ id: item.call_id, name: item.name, arguments: JSON.parse(item.arguments) as unknown }]
            : [],
        ),
        stopReason: response.status,
      };
    }
    case 'gemini': {
      const client = new GoogleGenAI({ apiKey: 'client-key', httpOptions: { baseUrl, headers: options.headers } });
      const request = {
        model: 'gemini-2.5-pro',
        contents: 'Weather in Paris?',
        config: {
          tools: [{ functionDeclarations: [{ name: 'get_weather', description, parametersJsonSchema: parameters }] }],
        },
      };
      const calls: FunctionCall[] = [];
      let stopReason: string | undefined;
      if (options.stream) {
        for await (const chunk of await client.models.generateContentStream(request)) {
          calls.push(...(chunk.functionCalls ?? []));
          stopReason = chunk.candidates?.[0]?.finishReason ?? stopReason;
        }
      } else {
        const response = await client.models.generateContent(request);
        calls.push(...(response.functionCalls ?? []));
        stopReason = response.candidates?.[0]?.finishReason;
      }
      return { calls: calls.map((call) => ({ id: call.id, name: call.name ?? '', arguments: call.args })), stopReason };
    }
  }
}

/** The stop word each format's answer gives when the model wants a tool. */
export const toolStopReason: Readonly<Record<WireFormat, string>> = {
  'anthropic-messages': 'tool_use',
  'openai-chat': 'tool_calls',
  'openai-responses': 'completed',
  gemini: 'STOP',
};
