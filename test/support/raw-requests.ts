import { isRecord, stringOf } from '../../src/core/json.js';
import type { WireFormat } from '../../src/core/types.js';

/** The path and a minimal valid body of each format, for requests made without an SDK. */
export function rawRequestOf(format: WireFormat, model: string): { path: string; body: Record<string, unknown> } {
  switch (format) {
    case 'anthropic-messages':
      return { path: '/v1/messages', body: { model, max_tokens: 32, messages: [{ role: 'user', content: 'Hi' }] } };
    case 'openai-chat':
      return { path: '/v1/chat/completions', body: { model, messages: [{ role: 'user', content: 'Hi' }] } };
    case 'openai-responses':
      return { path: '/v1/responses', body: { model, input: 'Hi' } };
    case 'gemini':
      return {
        path: `/v1beta/models/${model}:generateContent`,
        body: { contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] },
      };
  }
}

/** Reads an error body in the format's own shape, failing the test if the shape is wrong. */
export function errorOf(format: WireFormat, body: unknown): { message: string; type: string | undefined } {
  const value = isRecord(body) ? body : {};
  const error = isRecord(value.error) ? value.error : undefined;
  if (format === 'anthropic-messages') {
    if (value.type !== 'error' || typeof error?.message !== 'string')
      throw new Error(`not an Anthropic error: ${JSON.stringify(body)}`);
    return { message: error.message, type: stringOf(error.type) };
  }
  if (format === 'gemini') {
    if (typeof error?.code !== 'number' || typeof error.status !== 'string' || typeof error.message !== 'string')
      throw new Error(`not a Gemini error: ${JSON.stringify(body)}`);
    return { message: error.message, type: error.status };
  }
  if (typeof error?.message !== 'string' || !('type' in error))
    throw new Error(`not an OpenAI error: ${JSON.stringify(body)}`);
  return { message: error.message, type: stringOf(error.type) };
}

export async function postRaw(baseUrl: string, path: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, headers: response.headers, body: json };
}
