/** A profile name that is neither the user's nor a bundled example. */
export class ProfileNotFoundError extends Error {
  override readonly name = 'ProfileNotFoundError';
  constructor(
    readonly profile: string,
    readonly existing: string[],
  ) {
    const known = existing.length > 0 ? `Profiles: ${existing.join(', ')}.` : 'There are no profiles yet.';
    super(
      `Unknown profile "${profile}". ${known} ` +
        `Create one with \`switchyard profile save model ${profile} BUCKET... ` +
        `--provider P\`.`,
    );
  }
}
