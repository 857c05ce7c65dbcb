/** A profile that cannot be saved as given; `field` and `hint` say what to change. */
export class InvalidProfileError extends Error {
  override readonly name = 'InvalidProfileError';
  constructor(
    readonly profile: string,
    readonly field: string | undefined,
    readonly problem: string,
    readonly hint: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(
      `Cannot save profile "${profile}": ${field ? `${field}: ` : ''}${problem}${hint ? ` — ${hint}` : ''}`,
      options,
    );
  }
}
