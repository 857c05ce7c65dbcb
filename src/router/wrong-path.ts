import { isRecord } from '../core/json.js';
import type { ProviderName } from '../core/types.js';

/** What a provider's 404 says when the path was wrong, not the model or another named thing. */
const wrongPathWords = /\b(invalid url|unknown (url|path|route|endpoint)|no route|not found)\b/i;
/** A 404 naming one of these is about the thing, not the path (a model name the provider does not know). */
const namedThings = /\b(models?|deployment|file|assistant|thread|batch|response|project)\b/i;

/**
 * When a provider answers 404 because the URL is wrong (a `baseUrl` with a path the provider does
 * not have), the fix is in config.yaml, not in the request: says which setting, what was asked
 * for and what the setting means. Undefined when the 404 is about something else, such as an
 * unknown model, which the client should see as the provider wrote it.
 */
export function wrongPathAdvice(
  provider: ProviderName,
  status: number,
  body: string,
  requested: Readonly<URL>,
  baseUrl: string,
): string | undefined {
  if (status !== 404) return undefined;
  const said = messageOf(body);
  if (said !== undefined && (!wrongPathWords.test(said) || namedThings.test(said))) return undefined;
  const answer = said === undefined ? 'an answer that is not an API error' : `"${clip(said)}"`;
  return (
    `${provider} answered 404 with ${answer} for ${requested.origin}${requested.pathname}: the path does not ` +
    `exist there. Check providers.${provider}.baseUrl in config.yaml (now ${baseUrl}): it is the API root, ` +
    `the address before the provider's documented paths, and switchyard adds the path itself.`
  );
}

/** The error message of a JSON error answer (`error.message`, `message`, `detail`); undefined when it is not one. */
function messageOf(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed)) return undefined;
  const error = parsed.error;
  if (isRecord(error) && typeof error.message === 'string') return error.message;
  if (typeof error === 'string') return error;
  if (typeof parsed.message === 'string') return parsed.message;
  if (typeof parsed.detail === 'string') return parsed.detail;
  return undefined;
}

function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}...` : line;
}
