import type { AccountRegistry } from '../accounts.js';
import type { CountsBook } from '../counts.js';
import type { SimulatorClock } from '../types.js';
import type { LoginBook } from './login-book.js';

/** What every grant may use. */
export interface GrantState {
  registry: AccountRegistry;
  counts: CountsBook;
  clock: SimulatorClock;
  logins: LoginBook;
  /** The simulator's base URL: issuer of id tokens and `resource_url` of token answers. */
  baseUrl: string;
}

/** A token endpoint answer, sent after `delayMs`. */
export interface GrantAnswer {
  status: number;
  body: Record<string, unknown>;
  delayMs: number;
}

/** One OAuth grant type; `parameters` are the request's fields, JSON or form encoded. */
export type Grant = (parameters: Record<string, string>, state: GrantState) => GrantAnswer;

/** RFC 6749 section 5.2 error answer. */
export function grantError(error: string, description: string): GrantAnswer {
  return { status: 400, body: { error, error_description: description }, delayMs: 0 };
}
