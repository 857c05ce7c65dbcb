/** SWITCHYARD_TOKEN_KEY is set but unusable: nothing is written rather than writing tokens in the clear. */
export class TokenKeyError extends Error {
  override readonly name = 'TokenKeyError';

  constructor(
    /** What is wrong with the key (never the key itself). */
    readonly problem: string,
    /** Where a write was refused, if one was. */
    readonly target?: string,
  ) {
    super(target === undefined ? `${problem}.` : `${problem}; ${target} was not written.`);
  }
}
