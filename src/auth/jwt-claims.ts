/** The claims of a JWT, decoded without verifying the signature (we only read our own token's hints). */
export function decodeJwtPayload(token: string): Record<string, unknown> | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims)
      ? (claims as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The ChatGPT account id that codex requests send as `chatgpt-account-id`.
 * @see https://github.com/openai/codex (codex-rs login: id_token claim `https://api.openai.com/auth`)
 */
export function chatGptAccountId(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  const auth = decodeJwtPayload(token)?.['https://api.openai.com/auth'];
  if (typeof auth !== 'object' || auth === null) return undefined;
  const accountId = (auth as Record<string, unknown>).chatgpt_account_id;
  return typeof accountId === 'string' && accountId !== '' ? accountId : undefined;
}
