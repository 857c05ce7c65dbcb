/** A token file (or a file given to `auth import`) that is valid JSON but not a usable credential. */
export class InvalidTokenFileError extends Error {
  override readonly name = 'InvalidTokenFileError';

  constructor(
    readonly source: string,
    /** One line per problem, each naming the field; never a field's value (it may be a token). */
    readonly problems: readonly string[],
  ) {
    super(`${source} is not a usable token file: ${problems.join('; ')}. It was left untouched; fix or replace it.`);
  }
}
