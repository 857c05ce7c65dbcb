/** What a credential is replaced with. */
export const redacted = '[redacted]';

const credentialNames =
  'authorization|proxy-authorization|x-api-key|x-goog-api-key|api[_-]?key|cookie|set-cookie|' +
  'access[_-]?token|refresh[_-]?token|id[_-]?token|client[_-]?secret|password|secret';
/** JSON fields whose value is a credential, wherever they appear in a body. */
const credentialFields = new RegExp(String.raw`("(?:${credentialNames})"\s*:\s*)"(?:[^"\\]|\\.)*"`, 'gi');
/**
 * The same inside a JSON string (a tool result, say), where quotes are escaped once more: `\"`
 * ends the value, and `\\` starts one of its own escapes.
 */
const escapedCredentialFields = new RegExp(
  String.raw`(\\"(?:${credentialNames})\\"\s*:\s*)\\"(?:[^"\\]|\\\\(?:\\"|\\\\|[^"\\]))*\\"`,
  'gi',
);
/** A credential written as an HTTP authorization value, inside any text. */
const authorizationValues = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
/** Headers never shown, whatever their value. */
const credentialHeaders = new Set(['authorization', 'proxy-authorization', 'x-api-key', 'x-goog-api-key', 'cookie']);

/** Shortest secret searched for by value: shorter ones would redact ordinary words. */
const shortestSecret = 8;

/**
 * A captured body with every credential replaced: fields named like credentials, bearer and basic
 * values, and each known secret (bucket tokens and keys, client and admin keys) found anywhere.
 */
export function redactCredentials(text: string, secrets: readonly string[]): string {
  let result = text
    .replace(credentialFields, `$1"${redacted}"`)
    .replace(escapedCredentialFields, `$1\\"${redacted}\\"`)
    .replace(authorizationValues, `$1 ${redacted}`);
  for (const secret of secrets) if (secret.length >= shortestSecret) result = result.split(secret).join(redacted);
  return result;
}

/** Request headers as captured: credential headers (and set-cookie) shown as redacted, the rest redacted by value. */
export function redactHeaders(
  headers: Record<string, string | string[] | undefined>,
  secrets: readonly string[],
): Record<string, string> {
  const shown: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    shown[name] = credentialHeaders.has(name.toLowerCase()) ? redacted : redactCredentials(text, secrets);
  }
  return shown;
}
