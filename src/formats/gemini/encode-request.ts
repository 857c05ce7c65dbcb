import { argumentsObject, definedFields } from '../../core/json.js';
import type { InternalRequest, MessagePart, ToolChoice } from '../internal.js';
import { budgetOf } from '../reasoning-budget.js';
import { encodeGeminiResponseFormat } from './response-format.js';

/**
 * Gemini 3 refuses function calls in the history that carry no thought signature; calls that
 * another provider made have none, and Google documents this value for exactly that case.
 * @see https://ai.google.dev/gemini-api/docs/thought-signatures
 */
export const foreignCallSignature = 'skip_thought_signature_validator';

/**
 * An internal request as a generateContent body. Tool schemas go as `parametersJsonSchema` (full
 * JSON Schema, which `parameters` is not); reasoning parts from other providers are dropped.
 * @see https://ai.google.dev/api/generate-content#request-body
 */
export function encodeGeminiRequest(request: InternalRequest): Record<string, unknown> {
  const contents = request.messages
    .map((message) => ({
      role: message.role === 'assistant' ? 'model' : 'user',
      parts: message.parts.flatMap(encodePart),
    }))
    .filter((content) => content.parts.length > 0);
  const budget = request.reasoning ? budgetOf(request.reasoning) : undefined;
  const generationConfig = definedFields({
    maxOutputTokens: request.maxTokens,
    temperature: request.temperature,
    topP: request.topP,
    topK: request.topK,
    stopSequences: request.stopSequences.length > 0 ? request.stopSequences : undefined,
    thinkingConfig: budget === undefined ? undefined : { thinkingBudget: budget, includeThoughts: true },
    ...encodeGeminiResponseFormat(request.responseFormat),
  });
  return definedFields({
    contents,
    systemInstruction: request.system === undefined ? undefined : { parts: [{ text: request.system }] },
    tools:
      request.tools.length > 0
        ? [
            {
              functionDeclarations: request.tools.map((tool) =>
                definedFields({
                  name: tool.name,
                  description: tool.description,
                  parametersJsonSchema: tool.parameters,
                }),
              ),
            },
          ]
        : undefined,
    toolConfig:
      request.toolChoice && request.tools.length > 0
        ? { functionCallingConfig: encodeToolChoice(request.toolChoice) }
        : undefined,
    generationConfig: Object.keys(generationConfig).length > 0 ? generationConfig : undefined,
  });
}

function encodePart(part: MessagePart): Record<string, unknown>[] {
  switch (part.type) {
    case 'text':
      return part.text === '' ? [] : [{ text: part.text }];
    case 'image':
      return [
        part.source === 'url'
          ? { fileData: { mimeType: mimeTypeOfUrl(part.url), fileUri: part.url } }
          : { inlineData: { mimeType: part.mediaType, data: part.data } },
      ];
    case 'tool-call':
      return [
        {
          functionCall: { id: part.id, name: part.name, args: argumentsObject(part.arguments) },
          thoughtSignature: foreignCallSignature,
        },
      ];
    case 'tool-result':
      return [
        {
          functionResponse: {
            id: part.callId,
            name: part.name ?? '',
            response: part.isError ? { error: part.content } : { output: part.content },
          },
        },
      ];
    case 'reasoning':
      return [];
  }
}

/** Gemini wants a MIME type beside a file URL; the extension is the only hint a URL gives. */
function mimeTypeOfUrl(url: string): string {
  const extension = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(url)?.[1]?.toLowerCase();
  if (extension === 'png' || extension === 'webp' || extension === 'gif') return `image/${extension}`;
  return 'image/jpeg';
}

function encodeToolChoice(choice: ToolChoice): Record<string, unknown> {
  switch (choice.type) {
    case 'auto':
      return { mode: 'AUTO' };
    case 'none':
      return { mode: 'NONE' };
    case 'required':
      return { mode: 'ANY' };
    case 'tool':
      return { mode: 'ANY', allowedFunctionNames: [choice.name] };
  }
}
