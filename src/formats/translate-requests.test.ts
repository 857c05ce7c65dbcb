import { describe, expect, it } from 'vitest';
import { codecs } from './codecs.js';
import type { InternalRequest } from './internal.js';

const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const weatherSchema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };

/** A Claude Code-like request: system blocks, an image, a tool round trip, thinking, sampling and stops. */
const anthropicRequest = {
  model: 'claude-sonnet-4-6',
  max_tokens: 4096,
  system: [
    { type: 'text', text: 'You are terse.' },
    { type: 'text', text: 'Answer in French.', cache_control: { type: 'ephemeral' } },
  ],
  messages: [
    {
      role: 'user',
      content: [
        { type: 'text', text: 'What is in this picture, and the weather in Paris?' },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } },
      ],
    },
    {
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'Need the weather tool.', signature: 'sig-1' },
        { type: 'text', text: 'Checking.' },
        { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
      ],
    },
    {
      role: 'user',
      content: [
        {
          type: 'tool_result',
          tool_use_id: 'toolu_1',
          content: [{ type: 'text', text: '18°C, sunny' }],
          is_error: false,
        },
      ],
    },
  ],
  tools: [
    { name: 'get_weather', description: 'Weather for a city', input_schema: weatherSchema },
    { type: 'web_search_20250305', name: 'web_search', max_uses: 5 },
  ],
  tool_choice: { type: 'any' },
  thinking: { type: 'enabled', budget_tokens: 2048 },
  temperature: 0.2,
  top_p: 0.9,
  top_k: 40,
  stop_sequences: ['###'],
  stream: true,
  metadata: { user_id: 'someone' },
};

function internalOf(): InternalRequest {
  return codecs['anthropic-messages'].decodeRequest(anthropicRequest, { pathModel: undefined, stream: true });
}

describe('requests from an Anthropic client', () => {
  it('are read into the internal form, dropping what no other format has', () => {
    expect(internalOf()).toEqual({
      model: 'claude-sonnet-4-6',
      system: 'You are terse.\n\nAnswer in French.',
      messages: [
        {
          role: 'user',
          parts: [
            { type: 'text', text: 'What is in this picture, and the weather in Paris?' },
            { type: 'image', source: 'base64', mediaType: 'image/png', data: png },
          ],
        },
        {
          role: 'assistant',
          parts: [
            { type: 'reasoning', text: 'Need the weather tool.', signature: 'sig-1' },
            { type: 'text', text: 'Checking.' },
            { type: 'tool-call', id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
          ],
        },
        {
          role: 'user',
          parts: [
            { type: 'tool-result', callId: 'toolu_1', name: 'get_weather', content: '18°C, sunny', isError: false },
          ],
        },
      ],
      tools: [{ name: 'get_weather', description: 'Weather for a city', parameters: weatherSchema }],
      toolChoice: { type: 'required' },
      maxTokens: 4096,
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      stopSequences: ['###'],
      reasoning: { effort: undefined, budgetTokens: 2048 },
      stream: true,
    });
  });

  it('become a Chat Completions request', () => {
    expect(codecs['openai-chat'].encodeRequest({ ...internalOf(), model: 'gpt-4.1' })).toEqual({
      model: 'gpt-4.1',
      messages: [
        { role: 'system', content: 'You are terse.\n\nAnswer in French.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this picture, and the weather in Paris?' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } },
          ],
        },
        {
          role: 'assistant',
          content: 'Checking.',
          tool_calls: [
            { id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'toolu_1', content: '18°C, sunny' },
      ],
      tools: [
        {
          type: 'function',
          function: { name: 'get_weather', description: 'Weather for a city', parameters: weatherSchema },
        },
      ],
      tool_choice: 'required',
      max_completion_tokens: 4096,
      temperature: 0.2,
      top_p: 0.9,
      stop: ['###'],
      reasoning_effort: 'medium',
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('become a Responses request, stateless', () => {
    expect(codecs['openai-responses'].encodeRequest({ ...internalOf(), model: 'gpt-5-codex' })).toEqual({
      model: 'gpt-5-codex',
      instructions: 'You are terse.\n\nAnswer in French.',
      input: [
        {
          type: 'message',
          role: 'user',
          content: [
            { type: 'input_text', text: 'What is in this picture, and the weather in Paris?' },
            { type: 'input_image', image_url: `data:image/png;base64,${png}` },
          ],
        },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Checking.' }] },
        { type: 'function_call', call_id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'function_call_output', call_id: 'toolu_1', output: '18°C, sunny' },
      ],
      tools: [{ type: 'function', name: 'get_weather', description: 'Weather for a city', parameters: weatherSchema }],
      tool_choice: 'required',
      max_output_tokens: 4096,
      temperature: 0.2,
      top_p: 0.9,
      reasoning: { effort: 'medium' },
      store: false,
      stream: true,
    });
  });

  it('become a generateContent request', () => {
    expect(codecs.gemini.encodeRequest({ ...internalOf(), model: 'gemini-2.5-pro' })).toEqual({
      contents: [
        {
          role: 'user',
          parts: [
            { text: 'What is in this picture, and the weather in Paris?' },
            { inlineData: { mimeType: 'image/png', data: png } },
          ],
        },
        {
          role: 'model',
          parts: [
            { text: 'Checking.' },
            {
              functionCall: { id: 'toolu_1', name: 'get_weather', args: { city: 'Paris' } },
              thoughtSignature: 'skip_thought_signature_validator',
            },
          ],
        },
        {
          role: 'user',
          parts: [{ functionResponse: { id: 'toolu_1', name: 'get_weather', response: { output: '18°C, sunny' } } }],
        },
      ],
      systemInstruction: { parts: [{ text: 'You are terse.\n\nAnswer in French.' }] },
      tools: [
        {
          functionDeclarations: [
            { name: 'get_weather', description: 'Weather for a city', parametersJsonSchema: weatherSchema },
          ],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: 'ANY' } },
      generationConfig: {
        maxOutputTokens: 4096,
        temperature: 0.2,
        topP: 0.9,
        topK: 40,
        stopSequences: ['###'],
        thinkingConfig: { thinkingBudget: 2048, includeThoughts: true },
      },
    });
  });
});

describe('requests to Anthropic', () => {
  it('take a chat request with a data-URL image, tool messages and an effort, and add what Anthropic requires', () => {
    const chat = {
      model: 'gpt-4.1',
      messages: [
        { role: 'developer', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather?' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_9', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_9', content: '-3°C' },
      ],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: weatherSchema } }],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      reasoning_effort: 'high',
      temperature: 0.5,
      stop: 'END',
      n: 2,
    };
    const internal = codecs['openai-chat'].decodeRequest(chat, { pathModel: undefined, stream: false });
    expect(codecs['anthropic-messages'].encodeRequest({ ...internal, model: 'claude-sonnet-4-6' })).toEqual({
      model: 'claude-sonnet-4-6',
      // No max_tokens from the client: Anthropic's is required, and must exceed the thinking budget.
      max_tokens: 8192 + 24576,
      system: 'Be brief.',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } },
          ],
        },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'call_9', name: 'get_weather', input: { city: 'Oslo' } }],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_9', content: '-3°C' }] },
      ],
      tools: [{ name: 'get_weather', input_schema: weatherSchema }],
      tool_choice: { type: 'tool', name: 'get_weather' },
      stop_sequences: ['END'],
      thinking: { type: 'enabled', budget_tokens: 24576 },
    });
  });

  it('drop reasoning that Anthropic did not sign, and keep a Responses history in order', () => {
    const responses = {
      model: 'gpt-5-codex',
      instructions: 'Use tools.',
      input: [
        { role: 'user', content: [{ type: 'input_text', text: 'List files' }] },
        { type: 'reasoning', summary: [{ type: 'summary_text', text: 'I should call ls.' }] },
        { type: 'function_call', call_id: 'call_ls', name: 'shell', arguments: '{"command":["ls"]}' },
        { type: 'function_call_output', call_id: 'call_ls', output: 'README.md' },
      ],
      tools: [
        { type: 'function', name: 'shell', parameters: { type: 'object', properties: {} } },
        { type: 'web_search' },
      ],
      max_output_tokens: 300,
    };
    const internal = codecs['openai-responses'].decodeRequest(responses, { pathModel: undefined, stream: false });
    expect(codecs['anthropic-messages'].encodeRequest({ ...internal, model: 'claude-haiku-4-5' })).toEqual({
      model: 'claude-haiku-4-5',
      max_tokens: 300,
      system: 'Use tools.',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'List files' }] },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'call_ls', name: 'shell', input: { command: ['ls'] } }],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_ls', content: 'README.md' }] },
      ],
      tools: [{ name: 'shell', input_schema: { type: 'object', properties: {} } }],
    });
  });
});
