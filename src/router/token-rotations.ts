import type { BucketKey, Credential } from '../core/types.js';

/**
 * The token refreshes this router has under way or behind it, per bucket. Under load a refresh
 * (which may revoke the old access token) lands while other requests still carry the old token;
 * their 401s say nothing about the login and must not use up their one refresh.
 */
export class TokenRotations {
  private readonly buckets = new Map<BucketKey, { inFlight: number; epoch: number }>();

  /** How many times the bucket's token has been rotated here; a request notes it with the token it sends. */
  epoch(key: BucketKey): number {
    return this.buckets.get(key)?.epoch ?? 0;
  }

  /** True when the bucket's token is being rotated, or was rotated, since the request noted `seen`. */
  rotatedSince(key: BucketKey, seen: number): boolean {
    const bucket = this.buckets.get(key);
    return bucket !== undefined && (bucket.inFlight > 0 || bucket.epoch !== seen);
  }

  /** Runs a refresh as in flight; a token other than the refused one starts a new epoch. */
  async track(key: BucketKey, refused: string, refresh: () => Promise<Credential>): Promise<Credential> {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { inFlight: 0, epoch: 0 };
      this.buckets.set(key, bucket);
    }
    bucket.inFlight += 1;
    try {
      const credential = await refresh();
      if (credential.kind !== 'oauth' || credential.accessToken !== refused) bucket.epoch += 1;
      return credential;
    } finally {
      bucket.inFlight -= 1;
    }
  }
}
