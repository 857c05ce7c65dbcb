/**
 * Parsed URLs by their text: every request to a bucket joins the same base and path, and parsing
 * them again showed in the router's profile under load. Bounded: Gemini puts the model in the
 * path, and a client can name any model.
 */
const parsedUrls = new Map<string, Readonly<URL>>();
const parsedUrlLimit = 512;

/**
 * Appends a path to a base URL that may itself carry a path (`https://host/compatible-mode/v1`).
 * The URL is shared between requests: read it, never change it.
 */
export function joinUrl(base: string, path: string): Readonly<URL> {
  const trimmedBase = base.endsWith('/') ? base.slice(0, -1) : base;
  const trimmedPath = path.startsWith('/') ? path : `/${path}`;
  const text = trimmedBase + trimmedPath;
  let url = parsedUrls.get(text);
  if (url === undefined) {
    url = new URL(text);
    if (parsedUrls.size >= parsedUrlLimit) parsedUrls.clear();
    parsedUrls.set(text, url);
  }
  return url;
}
