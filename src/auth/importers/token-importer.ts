import type { ProviderName } from '../../core/types.js';
import type { StoredCredential } from '../token-file.js';

/** One foreign (or our own) token file format that `auth import` understands. */
export interface TokenImporter {
  /** Shown in errors that list the accepted formats, and after a successful import. */
  name: string;
  /** The providers whose logins this format holds; absent means any provider. */
  providers?: readonly ProviderName[];
  /** Cheap shape check: does this JSON look like this format? */
  detect(json: Record<string, unknown>): boolean;
  /** Full validation; errors name `source` and the field, never a value. */
  parse(json: Record<string, unknown>, source: string): StoredCredential;
}

/** Expiry given in either seconds or milliseconds (tools disagree): values past 1e12 are ms. */
export function toUnixSeconds(value: number): number {
  return value > 1e12 ? Math.floor(value / 1000) : Math.floor(value);
}
