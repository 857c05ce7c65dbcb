import { z } from 'zod';
import { InvalidTokenFileError } from '../invalid-token-file-error.js';
import { chatGptAccountId, decodeJwtPayload } from '../jwt-claims.js';
import { describeIssues, type OAuthTokenSet } from '../token-file.js';
import type { TokenImporter } from './token-importer.js';

/**
 * Codex CLI's `~/.codex/auth.json` (`$CODEX_HOME/auth.json`).
 * @see https://github.com/openai/codex/blob/main/codex-rs/login/src/token_data.rs
 */
const codexAuthSchema = z.object({
  OPENAI_API_KEY: z.string().nullable().optional(),
  tokens: z
    .object({
      id_token: z.string().optional(),
      access_token: z.string().min(1),
      refresh_token: z.string().min(1).optional(),
      account_id: z.string().nullable().optional(),
    })
    .nullable()
    .optional(),
  last_refresh: z.string().nullable().optional(),
});

export const codexAuthImporter: TokenImporter = {
  name: 'Codex auth.json (tokens.access_token, tokens.refresh_token, tokens.account_id)',
  providers: ['codex'],
  detect: (json) => 'tokens' in json || 'OPENAI_API_KEY' in json,
  parse(json, source) {
    const result = codexAuthSchema.safeParse(json);
    if (!result.success) throw new InvalidTokenFileError(source, describeIssues(result.error));
    const login = result.data.tokens;
    if (!login) {
      const hasKey = typeof result.data.OPENAI_API_KEY === 'string' && result.data.OPENAI_API_KEY !== '';
      throw new InvalidTokenFileError(source, [
        hasKey
          ? 'it holds an API key (OPENAI_API_KEY), not a ChatGPT login; keep the key ' +
            'in an environment variable and run: switchyard auth openai key BUCKET ' +
            '--env VARIABLE'
          : 'field "tokens": no ChatGPT login in this file; log in with `codex login` first',
      ]);
    }
    const tokens: OAuthTokenSet = { access_token: login.access_token, token_type: 'Bearer' };
    if (login.refresh_token !== undefined) tokens.refresh_token = login.refresh_token;
    // Codex stores no expiry: its access token is a JWT that carries one.
    const expiry = decodeJwtPayload(login.access_token)?.exp;
    if (typeof expiry === 'number' && Number.isFinite(expiry) && expiry > 0) tokens.expires_at = Math.floor(expiry);
    const accountId = login.account_id || chatGptAccountId(login.id_token) || chatGptAccountId(login.access_token);
    if (accountId) tokens.account_id = accountId;
    return tokens;
  },
};
