import { parseJson, parseJsonObject } from '../core/json.js';
import type { WireFormat } from '../core/types.js';
import type { RequestContext } from './codec.js';
import { codecs } from './codecs.js';
import { collectStream } from './collect-stream.js';
import { renderError } from './index.js';
import type { InternalRequest } from './internal.js';
import type { Usage } from './types.js';

/** The path each format is reached at; providers that build their own URLs (Gemini, Codex) ignore it. */
const upstreamPaths: Readonly<Record<WireFormat, string>> = {
  'anthropic-messages': '/v1/messages',
  'openai-chat': '/v1/chat/completions',
  'openai-responses': '/v1/responses',
  gemini: '/v1beta/models/generate',
};

/** A client request rewritten for a provider that speaks another format. */
export interface TranslatedRequest {
  format: WireFormat;
  /** Whether the provider is asked for a stream: also when only the provider insists on one. */
  stream: boolean;
  /** The provider streams an answer the client wants whole: gather it (see collect-stream.ts). */
  collectsStream: boolean;
  path: string;
  body: Record<string, unknown>;
  rawBody: string;
}

/** The client's request in internal form. */
export function decodeClientRequest(
  format: WireFormat,
  body: Record<string, unknown>,
  context: RequestContext,
): InternalRequest {
  return codecs[format].decodeRequest(body, context);
}

/** The internal request in `format`, for `model`. */
export function encodeUpstreamRequest(
  format: WireFormat,
  request: InternalRequest,
  model: string | undefined,
  streamsOnly = false,
): TranslatedRequest {
  const stream = request.stream || streamsOnly;
  const body = codecs[format].encodeRequest({ ...request, model, stream });
  return {
    format,
    stream,
    collectsStream: stream && !request.stream,
    path: upstreamPaths[format],
    body,
    rawBody: JSON.stringify(body),
  };
}

/** A gathered stream (a provider that only streams, a client that did not ask to) in the client's format. */
export function translateCollectedStream(
  upstreamFormat: WireFormat,
  clientFormat: WireFormat,
  text: string,
  createdSeconds: number,
): TranslatedAnswer | undefined {
  const response = collectStream(upstreamFormat, text);
  if (!response) return undefined;
  return { body: JSON.stringify(codecs[clientFormat].encodeResponse(response, createdSeconds)), usage: response.usage };
}

/** A translated answer body and the usage it reported. */
export interface TranslatedAnswer {
  body: string;
  usage: Usage;
}

/**
 * A provider's 2xx answer in the client's format; undefined when the provider's body is not a
 * JSON object (the caller then answers with a 502 rather than relaying garbage).
 */
export function translateAnswer(
  upstreamFormat: WireFormat,
  clientFormat: WireFormat,
  text: string,
  createdSeconds: number,
): TranslatedAnswer | undefined {
  const parsed = parseJsonObject(text);
  if (!parsed) return undefined;
  const response = codecs[upstreamFormat].decodeResponse(parsed);
  return { body: JSON.stringify(codecs[clientFormat].encodeResponse(response, createdSeconds)), usage: response.usage };
}

/** A provider's error answer in the client's error format, with the same status. */
export function translateErrorAnswer(
  upstreamFormat: WireFormat,
  clientFormat: WireFormat,
  status: number,
  text: string,
): string {
  const error = codecs[upstreamFormat].decodeError(status, parseJson(text) ?? text);
  return renderError(clientFormat, {
    status,
    message: error.message,
    ...(error.code === undefined ? {} : { code: error.code }),
  });
}
