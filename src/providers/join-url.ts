/** Appends a path to a base URL that may itself carry a path (`https://host/compatible-mode/v1`). */
export function joinUrl(base: string, path: string): URL {
  const trimmedBase = base.endsWith('/') ? base.slice(0, -1) : base;
  const trimmedPath = path.startsWith('/') ? path : `/${path}`;
  return new URL(trimmedBase + trimmedPath);
}
