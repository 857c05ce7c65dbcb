/** A change asked of a bundled example profile, which belongs to the package, not the user. */
export class ExampleProfileError extends Error {
  override readonly name = 'ExampleProfileError';
  constructor(readonly profile: string) {
    super(
      `"${profile}" is a bundled example, not one of your profiles; it cannot be deleted. ` +
        `To change it, save your own profile under the same name (it takes ` +
        `precedence), e.g. \`switchyard profile save model ${profile} BUCKET... ` +
        `--provider P\`.`,
    );
  }
}
