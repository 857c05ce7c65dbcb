import { isRecord } from '../../core/json.js';
import type { ResponseFormat } from '../internal.js';
import { lowerCaseTypes } from './schema-types.js';

/**
 * Gemini's JSON mode in internal form: `responseMimeType: application/json`, with a schema as
 * `responseJsonSchema` (JSON Schema) or `responseSchema` (Google's OpenAPI subset); capitalised
 * types are lower-cased in both; without either it asks only for JSON.
 * @see https://ai.google.dev/api/generate-content#generationconfig
 */
export function decodeGeminiResponseFormat(config: Record<string, unknown>): ResponseFormat | undefined {
  if (config.responseMimeType !== 'application/json') return undefined;
  // Gemini takes capitalised types in either field (Gemini CLI sends `Type.OBJECT` as responseJsonSchema); the other
  // formats do not.
  if (isRecord(config.responseJsonSchema))
    return {
      type: 'json-schema',
      name: undefined,
      schema: lowerCaseTypes(config.responseJsonSchema),
      strict: undefined,
    };
  if (isRecord(config.responseSchema))
    return { type: 'json-schema', name: undefined, schema: lowerCaseTypes(config.responseSchema), strict: undefined };
  return { type: 'json-object' };
}

/**
 * The internal response format as generationConfig fields; schemas go as `responseJsonSchema`, which takes full JSON
 * Schema.
 */
export function encodeGeminiResponseFormat(format: ResponseFormat | undefined): Record<string, unknown> {
  if (format === undefined) return {};
  if (format.type === 'json-object') return { responseMimeType: 'application/json' };
  return { responseMimeType: 'application/json', responseJsonSchema: format.schema };
}
