/** Bucket names: 1-64 of `A-Z a-z 0-9 . _ @ + -`, and never `.` or `..` (they would be paths). */
const bucketNamePattern = /^[A-Za-z0-9._@+-]{1,64}$/;

/** Profile names follow the same rule as bucket names; they become file names. */
export function isValidName(name: string): boolean {
  return bucketNamePattern.test(name) && name !== '.' && name !== '..';
}

export class InvalidNameError extends Error {
  override readonly name = 'InvalidNameError';
  constructor(
    readonly kind: 'bucket' | 'profile',
    readonly value: string,
  ) {
    super(
      `Invalid ${kind} name "${value.slice(0, 80)}": use 1-64 characters from ` +
        `A-Z a-z 0-9 . _ @ + - (no slashes, no "..").`,
    );
  }
}

export function assertBucketName(name: string): string {
  if (!isValidName(name)) throw new InvalidNameError('bucket', name);
  return name;
}

export function assertProfileName(name: string): string {
  if (!isValidName(name)) throw new InvalidNameError('profile', name);
  return name;
}
