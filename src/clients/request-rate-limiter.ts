/**
 * A token bucket of `perMinute` requests that refills continuously, so a client may burst up
 * to its whole minute and then goes at the steady rate. Time comes from the caller (the
 * server's clock), so tests move it instead of waiting.
 */
export class RequestRateLimiter {
  private available: number;
  private updatedAt: number | undefined;

  constructor(readonly perMinute: number) {
    this.available = perMinute;
  }

  /** Takes one request at `now`; returns 0 when allowed, else the milliseconds until one is. */
  take(now: number): number {
    const refillPerMs = this.perMinute / 60_000;
    if (this.updatedAt !== undefined)
      this.available = Math.min(this.perMinute, this.available + (now - this.updatedAt) * refillPerMs);
    this.updatedAt = now;
    if (this.available >= 1) {
      this.available -= 1;
      return 0;
    }
    return Math.ceil((1 - this.available) / refillPerMs);
  }
}
