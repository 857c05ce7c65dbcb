import { type ErrorFields, textField } from '../formats/error-body.js';

/** Whether an error's `type` or `code` is one of `codes`: providers put their machine-readable code in either. */
export function hasErrorCode(error: ErrorFields | undefined, codes: ReadonlySet<string>): boolean {
  return codes.has(textField(error, 'type') ?? '') || codes.has(textField(error, 'code') ?? '');
}
