/** Longest cause kept: a cause names what failed, it does not carry a stack or a body. */
const maximumLength = 160;

interface SystemErrorFields {
  code?: unknown;
  address?: unknown;
  port?: unknown;
  cause?: unknown;
}

/**
 * Why a connection to the provider failed, short and safe to show: `ECONNREFUSED 127.0.0.1:9000`,
 * `ENOTFOUND api.example.com`, `UND_ERR_SOCKET other side closed`. Built from the error's code and
 * address where it has them, since those cannot hold a credential; a free-text message loses any
 * URL query (Gemini keys travel as `?key=`) and any of `secrets` it happens to contain.
 */
export function describeNetworkFailure(error: unknown, secrets: readonly string[]): string {
  const root = innermost(error);
  const fields = (typeof root === 'object' && root !== null ? root : {}) as SystemErrorFields;
  const message = root instanceof Error ? root.message : String(root);
  const code = typeof fields.code === 'string' ? fields.code : undefined;
  let text: string;
  if (code !== undefined && typeof fields.address === 'string') {
    const host = fields.address.includes(':') ? `[${fields.address}]` : fields.address;
    text = typeof fields.port === 'number' ? `${code} ${host}:${fields.port}` : `${code} ${host}`;
  } else if (code !== undefined) {
    text = message.includes(code) ? message : `${code} ${message}`;
  } else text = message === '' ? 'network error' : message;
  return redact(text, secrets);
}

/** Node and undici wrap the system error (`fetch failed` -> `connect ECONNREFUSED`): the inner one names it. */
function innermost(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 4; depth += 1) {
    const cause = (current as SystemErrorFields | null)?.cause;
    if (cause === undefined || cause === null) break;
    current = cause;
  }
  return current;
}

function redact(text: string, secrets: readonly string[]): string {
  let safe = text.replace(/\?\S*/g, '');
  for (const secret of secrets) if (secret.length >= 8) safe = safe.split(secret).join('[redacted]');
  return safe.length > maximumLength ? `${safe.slice(0, maximumLength - 3)}...` : safe;
}
