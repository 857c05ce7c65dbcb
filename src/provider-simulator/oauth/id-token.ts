import type { Account } from '../accounts.js';

function base64UrlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/**
 * An unsigned (`alg: none`) OpenID id_token carrying what Codex clients read from it: the
 * ChatGPT account id under `https://api.openai.com/auth`, and the email.
 */
export function idToken(account: Account, issuer: string, nowSeconds: number): string {
  const header = { alg: 'none', typ: 'JWT' };
  const payload = {
    iss: issuer,
    sub: account.name,
    aud: 'switchyard-provider-simulator',
    iat: nowSeconds,
    exp: nowSeconds + account.expiresInSeconds,
    email: account.name.includes('@') ? account.name : `${account.name}@simulator.invalid`,
    'https://api.openai.com/auth': { chatgpt_account_id: account.accountId, chatgpt_plan_type: 'plus' },
  };
  return `${base64UrlJson(header)}.${base64UrlJson(payload)}.`;
}
