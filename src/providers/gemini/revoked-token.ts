import { type ErrorFields, textField } from '../../formats/error-body.js';

/**
 * A 403 that means the login is gone (refresh, then needs-login) rather than a forbidden request:
 * Google's canonical status for a missing, expired or invalid token.
 * @see https://cloud.google.com/apis/design/errors#handling_errors
 */
export function isRevokedGoogleToken(error: ErrorFields | undefined): boolean {
  return textField(error, 'status') === 'UNAUTHENTICATED';
}
