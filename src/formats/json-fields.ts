/** Internal: tolerant readers for provider JSON, which may lack any field. */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-negative finite number field, 0 when absent or malformed. */
export function countField(value: unknown, name: string): number {
  if (!isRecord(value)) return 0;
  const field = value[name];
  return typeof field === 'number' && Number.isFinite(field) && field >= 0 ? field : 0;
}

/** Whether an object has a number field of that name (a count that was reported, even 0). */
export function hasCount(value: unknown, name: string): boolean {
  return isRecord(value) && typeof value[name] === 'number';
}

/** An object field, or undefined when it is absent or not an object. */
export function objectField(value: unknown, name: string): Record<string, unknown> | undefined {
  if (!isRecord(value)) return undefined;
  const field = value[name];
  return isRecord(field) ? field : undefined;
}

/** Parsed JSON, or undefined when the text is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Parsed JSON object, or undefined when the text is not a JSON object. */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  const parsed = parseJson(text);
  return isRecord(parsed) ? parsed : undefined;
}

/**
 * Adds extra fields to an error object without letting them replace the fields SDKs read
 * (`type`, `message`, `code`...).
 */
export function withDetails(errorObject: Record<string, unknown>, details: Record<string, unknown> | undefined): Record<string, unknown> {
  if (details === undefined) return errorObject;
  const merged = { ...errorObject };
  for (const [name, value] of Object.entries(details)) if (!Object.hasOwn(merged, name)) merged[name] = value;
  return merged;
}
