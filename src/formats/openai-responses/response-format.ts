import { definedFields, isRecord, objectOf, stringOf } from '../../core/json.js';
import type { ResponseFormat } from '../internal.js';

/**
 * Responses' `text.format` in internal form: `{type: json_object}`, or `{type: json_schema,
 * name, schema, strict}` (the schema's fields sit beside the type, unlike Chat's).
 * @see https://platform.openai.com/docs/api-reference/responses/create#responses-create-text
 */
export function decodeResponsesFormat(text: unknown): ResponseFormat | undefined {
  const format = objectOf(objectOf(text).format);
  if (format.type === 'json_object') return { type: 'json-object' };
  if (format.type !== 'json_schema') return undefined;
  if (!isRecord(format.schema)) return { type: 'json-object' };
  return {
    type: 'json-schema',
    name: stringOf(format.name),
    schema: format.schema,
    strict: typeof format.strict === 'boolean' ? format.strict : undefined,
  };
}

/**
 * The internal response format as Responses' `text` field; the name is required there, so one is made up when the
 * client gave none.
 */
export function encodeResponsesFormat(format: ResponseFormat | undefined): Record<string, unknown> | undefined {
  if (format === undefined) return undefined;
  if (format.type === 'json-object') return { format: { type: 'json_object' } };
  return {
    format: definedFields({
      type: 'json_schema',
      name: format.name ?? 'response',
      schema: format.schema,
      strict: format.strict,
    }),
  };
}
