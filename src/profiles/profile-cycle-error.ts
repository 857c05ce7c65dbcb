/** Load-balancer profiles that list each other in a circle, which would never resolve to buckets. */
export class ProfileCycleError extends Error {
  override readonly name = 'ProfileCycleError';
  constructor(
    /** The circle, first name repeated at the end: `['a', 'b', 'a']`. */
    readonly cycle: string[],
    /** The file whose member list closes the circle. */
    readonly path: string,
  ) {
    super(
      `Profiles refer to each other in a circle: ${cycle.join(' -> ')} (${path} ` +
        `lists "${cycle.at(-1) ?? ''}"). Remove one of the references.`,
    );
  }
}
