import { isRecord, jsonText, numberOf, objectOf, recordsOf, stringOf, stringsOf } from '../../core/json.js';
import type { RequestContext } from '../codec.js';
import type { InternalMessage, InternalRequest, MessagePart, ToolChoice, ToolDefinition } from '../internal.js';
import { parseEffort } from '../reasoning-budget.js';
import { decodeModelParts, syntheticCallIds } from './decode-parts.js';
import { decodeGeminiResponseFormat } from './response-format.js';
import { lowerCaseTypes } from './schema-types.js';

/**
 * A generateContent request in internal form. Function results are matched to their calls by id,
 * else by name in order. Dropped: safetySettings, cachedContent, candidateCount,
 * built-in tools (googleSearch, codeExecution, urlContext), files other than images.
 * @see https://ai.google.dev/api/generate-content#request-body
 */
export function decodeGeminiRequest(body: Record<string, unknown>, context: RequestContext): InternalRequest {
  const callId = syntheticCallIds('call');
  const pendingByName = new Map<string, string[]>();
  const messages: InternalMessage[] = [];
  for (const content of recordsOf(body.contents)) {
    if (content.role === 'model') {
      const parts = decodeModelParts(content.parts, callId);
      for (const part of parts) {
        if (part.type === 'tool-call') pendingByName.set(part.name, [...(pendingByName.get(part.name) ?? []), part.id]);
      }
      messages.push({ role: 'assistant', parts });
      continue;
    }
    const parts = recordsOf(content.parts).flatMap((part): MessagePart[] => {
      if (typeof part.text === 'string') return [{ type: 'text', text: part.text }];
      const inline = objectOf(part.inlineData);
      if (typeof inline.data === 'string')
        return [
          { type: 'image', source: 'base64', mediaType: stringOf(inline.mimeType) ?? 'image/png', data: inline.data },
        ];
      const file = objectOf(part.fileData);
      if (typeof file.fileUri === 'string' && (stringOf(file.mimeType) ?? 'image/').startsWith('image/'))
        return [{ type: 'image', source: 'url', url: file.fileUri }];
      if (isRecord(part.functionResponse)) {
        const result = part.functionResponse;
        const name = stringOf(result.name) ?? '';
        const queue = pendingByName.get(name) ?? [];
        const id = stringOf(result.id) ?? queue.shift() ?? callId(name);
        const response = objectOf(result.response);
        const isError = response.error !== undefined && response.output === undefined && response.result === undefined;
        const value = response.output ?? response.result ?? response.error ?? response;
        return [{ type: 'tool-result', callId: id, name, content: jsonText(value), isError }];
      }
      return [];
    });
    messages.push({ role: 'user', parts });
  }
  const config = objectOf(body.generationConfig);
  const thinking = objectOf(config.thinkingConfig);
  const budget = numberOf(thinking.thinkingBudget);
  const effort = parseEffort(
    typeof thinking.thinkingLevel === 'string' ? thinking.thinkingLevel.toLowerCase() : undefined,
  );
  return {
    model: context.pathModel ?? stringOf(body.model),
    system: systemText(body.systemInstruction),
    messages,
    tools: recordsOf(body.tools).flatMap((tool) => recordsOf(tool.functionDeclarations).flatMap(decodeDeclaration)),
    toolChoice: decodeToolChoice(objectOf(objectOf(body.toolConfig).functionCallingConfig)),
    maxTokens: numberOf(config.maxOutputTokens),
    temperature: numberOf(config.temperature),
    topP: numberOf(config.topP),
    topK: numberOf(config.topK),
    stopSequences: stringsOf(config.stopSequences),
    // A budget of 0 turns thinking off and -1 lets the model decide: neither is a budget elsewhere.
    reasoning:
      (budget !== undefined && budget > 0) || effort !== undefined
        ? { effort, budgetTokens: budget !== undefined && budget > 0 ? budget : undefined }
        : undefined,
    responseFormat: decodeGeminiResponseFormat(config),
    stream: context.stream,
  };
}

function systemText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const texts = recordsOf(objectOf(value).parts).flatMap((part) => (typeof part.text === 'string' ? [part.text] : []));
  return texts.length > 0 ? texts.join('\n') : undefined;
}

function decodeDeclaration(declaration: Record<string, unknown>): ToolDefinition[] {
  if (typeof declaration.name !== 'string') return [];
  const schema = declaration.parametersJsonSchema ?? declaration.parameters;
  return [
    {
      name: declaration.name,
      description: stringOf(declaration.description),
      parameters: isRecord(schema) ? lowerCaseTypes(schema) : { type: 'object', properties: {} },
    },
  ];
}

function decodeToolChoice(config: Record<string, unknown>): ToolChoice | undefined {
  const allowed = stringsOf(config.allowedFunctionNames);
  switch (config.mode) {
    case 'AUTO':
      return { type: 'auto' };
    case 'NONE':
      return { type: 'none' };
    case 'ANY':
    case 'VALIDATED':
      return allowed.length === 1 ? { type: 'tool', name: allowed[0] as string } : { type: 'required' };
    default:
      return undefined;
  }
}
