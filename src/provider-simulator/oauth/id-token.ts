import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Account } from '../accounts.js';

function base64UrlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

// One RSA key per process, made on first use: OpenID clients (oauth4webapi) insist on a
// signing algorithm they know (RS256), though none verifies a token endpoint's signature.
let signingKey: KeyObject | undefined;

function key(): KeyObject {
  signingKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  return signingKey;
}

/**
 * An RS256 OpenID id_token carrying what Codex clients read from it: the ChatGPT account id
 * under `https://api.openai.com/auth`, and the email. `audience` is the client id that asked.
 */
export function idToken(
  account: Account,
  issuer: string,
  nowSeconds: number,
  audience = 'switchyard-provider-simulator',
): string {
  const header = { alg: 'RS256', typ: 'JWT', kid: 'simulator' };
  const payload = {
    iss: issuer,
    sub: account.name,
    aud: audience,
    iat: nowSeconds,
    exp: nowSeconds + account.expiresInSeconds,
    email: account.name.includes('@') ? account.name : `${account.name}@simulator.invalid`,
    'https://api.openai.com/auth': { chatgpt_account_id: account.accountId, chatgpt_plan_type: 'plus' },
  };
  const signingInput = `${base64UrlJson(header)}.${base64UrlJson(payload)}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(key()).toString('base64url');
  return `${signingInput}.${signature}`;
}
