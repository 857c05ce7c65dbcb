import { applyTokenAnswer, tokenAnswerSchema } from '../token-answer.js';
import type { OAuthTokenSet } from '../token-file.js';

/** The token set to store from a login's token answer (account id from the id_token claim). */
export function tokenSetFromAnswer(answer: unknown, nowMs: number): OAuthTokenSet {
  const parsed = tokenAnswerSchema.parse(answer);
  // oauth4webapi lower-cases token_type; files (and imports) spell it as providers do.
  if (parsed.token_type?.toLowerCase() === 'bearer') parsed.token_type = 'Bearer';
  return applyTokenAnswer({ access_token: parsed.access_token }, parsed, nowMs);
}
