import { describe, expect, it } from 'vitest';
import { codecs as byWireFormat } from './codecs.js';
import type { ResponseFormat } from './internal.js';

const schema = {
  type: 'object',
  properties: { route: { type: 'string', enum: ['flash', 'pro'] }, reason: { type: 'string' } },
  required: ['route', 'reason'],
};
const codecs = {
  anthropic: byWireFormat['anthropic-messages'],
  chat: byWireFormat['openai-chat'],
  responses: byWireFormat['openai-responses'],
  gemini: byWireFormat.gemini,
};
const context = { pathModel: 'model-x', stream: false };
const schemaFormat: ResponseFormat = { type: 'json-schema', name: 'router', schema, strict: true };
const userTurn = [{ role: 'user', content: 'Pick a model' }];

/** The JSON-mode request of each format, as its clients send it, and what it decodes to. */
const requests = {
  chat: {
    schema: {
      model: 'm',
      messages: userTurn,
      response_format: { type: 'json_schema', json_schema: { name: 'router', schema, strict: true } },
    },
    object: { model: 'm', messages: userTurn, response_format: { type: 'json_object' } },
  },
  responses: {
    schema: {
      model: 'm',
      input: 'Pick a model',
      text: { format: { type: 'json_schema', name: 'router', schema, strict: true } },
    },
    object: { model: 'm', input: 'Pick a model', text: { format: { type: 'json_object' } } },
  },
  gemini: {
    schema: {
      contents: [{ role: 'user', parts: [{ text: 'Pick a model' }] }],
      generationConfig: { responseMimeType: 'application/json', responseJsonSchema: schema },
    },
    object: {
      contents: [{ role: 'user', parts: [{ text: 'Pick a model' }] }],
      generationConfig: { responseMimeType: 'application/json' },
    },
  },
} as const;

describe('structured output (JSON mode) across formats', () => {
  it('decodes each format’s JSON-schema and JSON-object requests', () => {
    expect(codecs.chat.decodeRequest(requests.chat.schema, context).responseFormat).toEqual(schemaFormat);
    expect(codecs.responses.decodeRequest(requests.responses.schema, context).responseFormat).toEqual(schemaFormat);
    expect(codecs.gemini.decodeRequest(requests.gemini.schema, context).responseFormat).toEqual({
      type: 'json-schema',
      name: undefined,
      schema,
      strict: undefined,
    });
    for (const format of ['chat', 'responses', 'gemini'] as const) {
      expect(codecs[format].decodeRequest(requests[format].object, context).responseFormat).toEqual({
        type: 'json-object',
      });
    }
    expect(
      codecs.chat.decodeRequest({ messages: userTurn, response_format: { type: 'text' } }, context).responseFormat,
    ).toBeUndefined();
    expect(
      codecs.gemini.decodeRequest({ contents: [], generationConfig: { responseMimeType: 'text/plain' } }, context)
        .responseFormat,
    ).toBeUndefined();
  });

  it('decodes Gemini’s capitalised types (responseSchema, or responseJsonSchema as Gemini CLI sends it) lower-cased', () => {
    const openApi = { type: 'OBJECT', properties: { route: { type: 'STRING' } }, required: ['route'] };
    const expected = {
      type: 'json-schema',
      name: undefined,
      schema: { type: 'object', properties: { route: { type: 'string' } }, required: ['route'] },
      strict: undefined,
    };
    for (const field of ['responseSchema', 'responseJsonSchema']) {
      const decoded = codecs.gemini.decodeRequest(
        { contents: [], generationConfig: { responseMimeType: 'application/json', [field]: openApi } },
        context,
      );
      expect(decoded.responseFormat).toEqual(expected);
    }
  });

  it('decodes Anthropic’s output_config.format and the beta output_format', () => {
    const base = { model: 'm', max_tokens: 10, messages: userTurn };
    const expected = { type: 'json-schema', name: undefined, schema, strict: undefined };
    expect(
      codecs.anthropic.decodeRequest({ ...base, output_config: { format: { type: 'json_schema', schema } } }, context)
        .responseFormat,
    ).toEqual(expected);
    expect(
      codecs.anthropic.decodeRequest({ ...base, output_format: { type: 'json_schema', schema } }, context)
        .responseFormat,
    ).toEqual(expected);
  });

  it('encodes a schema request for every target format', () => {
    const chat = codecs.chat.decodeRequest(requests.chat.schema, context);
    expect(codecs.gemini.encodeRequest(chat).generationConfig).toEqual({
      responseMimeType: 'application/json',
      responseJsonSchema: schema,
    });
    expect(codecs.responses.encodeRequest(chat).text).toEqual({
      format: { type: 'json_schema', name: 'router', schema, strict: true },
    });
    expect(codecs.anthropic.encodeRequest(chat).output_config).toEqual({ format: { type: 'json_schema', schema } });
    const gemini = codecs.gemini.decodeRequest(requests.gemini.schema, context);
    // OpenAI requires a name; Gemini has none to give.
    expect(codecs.chat.encodeRequest(gemini).response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'response', schema },
    });
    const responses = codecs.responses.decodeRequest(requests.responses.schema, context);
    expect(codecs.chat.encodeRequest(responses).response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'router', schema, strict: true },
    });
    const anthropic = codecs.anthropic.decodeRequest(
      { model: 'm', max_tokens: 10, messages: userTurn, output_config: { format: { type: 'json_schema', schema } } },
      context,
    );
    expect(codecs.gemini.encodeRequest(anthropic).generationConfig).toMatchObject({
      responseMimeType: 'application/json',
      responseJsonSchema: schema,
    });
  });

  it('encodes a JSON-object request everywhere but Anthropic, which has no schema-less JSON mode', () => {
    const chat = codecs.chat.decodeRequest(requests.chat.object, context);
    expect(codecs.gemini.encodeRequest(chat).generationConfig).toEqual({ responseMimeType: 'application/json' });
    expect(codecs.responses.encodeRequest(chat).text).toEqual({ format: { type: 'json_object' } });
    const gemini = codecs.gemini.decodeRequest(requests.gemini.object, context);
    expect(codecs.chat.encodeRequest(gemini).response_format).toEqual({ type: 'json_object' });
    expect(codecs.anthropic.encodeRequest(gemini).output_config).toBeUndefined();
  });

  it('leaves free-text requests without any response format field', () => {
    const plain = codecs.chat.decodeRequest({ model: 'm', messages: userTurn }, context);
    expect(plain.responseFormat).toBeUndefined();
    expect(codecs.gemini.encodeRequest(plain).generationConfig).toBeUndefined();
    expect(codecs.responses.encodeRequest(plain).text).toBeUndefined();
    expect(codecs.chat.encodeRequest(plain).response_format).toBeUndefined();
    expect(codecs.anthropic.encodeRequest(plain).output_config).toBeUndefined();
  });
});
