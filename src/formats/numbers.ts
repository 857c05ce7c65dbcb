/** A non-negative integer field of an unknown object, 0 when absent. */
export function countField(value: unknown, name: string): number {
  if (typeof value !== 'object' || value === null) return 0;
  const field = (value as Record<string, unknown>)[name];
  return typeof field === 'number' && Number.isFinite(field) && field >= 0 ? field : 0;
}

export function objectField(value: unknown, name: string): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field = (value as Record<string, unknown>)[name];
  return typeof field === 'object' && field !== null ? (field as Record<string, unknown>) : undefined;
}

export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
