import type { AccountBook } from './accounts.js';

export interface TokenAnswer {
  status: number;
  body: unknown;
  delayMs: number;
}

function base64Url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** An unsigned id_token carrying the ChatGPT account id claim, as Codex's token endpoint sends. */
export function idTokenFor(name: string, accountId: string): string {
  return `${base64Url({ alg: 'none', typ: 'JWT' })}.${base64Url({ email: `${name}@simulator.test`, 'https://api.openai.com/auth': { chatgpt_account_id: accountId } })}.sim`;
}

/** The refresh grant with rotation: a refresh token works once; reusing one is `invalid_grant`. */
export function refreshGrant(book: AccountBook, form: Record<string, string>, resourceUrl: string): TokenAnswer {
  const token = form.refresh_token ?? '';
  const account = book.byRefresh(token);
  if (!account) {
    const owner = /^sim-rt-(.+)-\d+$/.exec(token)?.[1];
    if (owner) {
      try {
        book.get(owner).counts.invalidGrants += 1;
      } catch {
        // a token of an account this simulator never had
      }
    }
    return { status: 400, delayMs: 0, body: { error: 'invalid_grant', error_description: 'The refresh token is invalid, expired, or was already used.' } };
  }
  book.rotate(account);
  account.counts.refreshes += 1;
  return {
    status: 200,
    delayMs: account.tokenDelayMs,
    body: {
      access_token: account.accessToken,
      refresh_token: account.refreshToken,
      expires_in: account.expiresInSeconds,
      token_type: 'Bearer',
      scope: 'user:inference user:profile',
      id_token: idTokenFor(account.name, account.accountId),
      resource_url: resourceUrl,
    },
  };
}

/** Token requests come as JSON (Anthropic) or as a form (the others). */
export function parseTokenRequest(contentType: string | undefined, text: string): Record<string, string> {
  if (contentType?.includes('application/json')) {
    try {
      const parsed = JSON.parse(text) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, String(value)]));
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(text));
}
