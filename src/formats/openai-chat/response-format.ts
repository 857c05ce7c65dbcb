import { definedFields, isRecord, objectOf, stringOf } from '../../core/json.js';
import type { ResponseFormat } from '../internal.js';

/**
 * Chat's `response_format` in internal form: `json_object`, or `json_schema` with
 * `{name, schema, strict}` (without a schema it asks only for JSON). `text` means free text.
 * @see https://platform.openai.com/docs/api-reference/chat/create#chat-create-response_format
 */
export function decodeChatResponseFormat(value: unknown): ResponseFormat | undefined {
  const format = objectOf(value);
  if (format.type === 'json_object') return { type: 'json-object' };
  if (format.type !== 'json_schema') return undefined;
  const jsonSchema = objectOf(format.json_schema);
  if (!isRecord(jsonSchema.schema)) return { type: 'json-object' };
  return {
    type: 'json-schema',
    name: stringOf(jsonSchema.name),
    schema: jsonSchema.schema,
    strict: typeof jsonSchema.strict === 'boolean' ? jsonSchema.strict : undefined,
  };
}

/**
 * The internal response format as Chat's `response_format`; OpenAI requires a name, so one is made up when the client
 * gave none.
 */
export function encodeChatResponseFormat(format: ResponseFormat | undefined): Record<string, unknown> | undefined {
  if (format === undefined) return undefined;
  if (format.type === 'json-object') return { type: 'json_object' };
  return {
    type: 'json_schema',
    json_schema: definedFields({ name: format.name ?? 'response', schema: format.schema, strict: format.strict }),
  };
}
