/**
 * A configured base URL as the API root: without a trailing slash, and without an ending that is
 * part of the API path switchyard adds (`https://api.openai.com/v1` -> `https://api.openai.com`).
 */
export function apiRoot(baseUrl: string, apiPathSuffixes: readonly string[] = []): string {
  const trimmed = baseUrl.replace(/\/+$/, '');
  const suffix = apiPathSuffixes.find((ending) => trimmed.endsWith(ending));
  return suffix === undefined ? trimmed : trimmed.slice(0, -suffix.length);
}
