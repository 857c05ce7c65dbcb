/**
 * Adds extra fields to an error object without letting them replace the fields SDKs read
 * (`type`, `message`, `code`...).
 */
export function withDetails(
  errorObject: Record<string, unknown>,
  details: Record<string, unknown> | undefined,
): Record<string, unknown> {
  if (details === undefined) return errorObject;
  const merged = { ...errorObject };
  for (const [name, value] of Object.entries(details)) if (!Object.hasOwn(merged, name)) merged[name] = value;
  return merged;
}
