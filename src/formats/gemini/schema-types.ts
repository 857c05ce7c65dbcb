import { isRecord } from '../../core/json.js';

/** Gemini's OpenAPI-style schemas may spell types in capitals (`OBJECT`); JSON Schema wants them lower-case. */
export function lowerCaseTypes(schema: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'type' && typeof value === 'string') result[key] = value.toLowerCase();
    else if (key === 'properties' && isRecord(value))
      result[key] = Object.fromEntries(
        Object.entries(value).map(([name, property]) => [
          name,
          isRecord(property) ? lowerCaseTypes(property) : property,
        ]),
      );
    else if (key === 'items' && isRecord(value)) result[key] = lowerCaseTypes(value);
    else result[key] = value;
  }
  return result;
}
