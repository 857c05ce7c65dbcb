import { describe, expect, it } from 'vitest';
import { RequestRateLimiter } from './request-rate-limiter.js';

describe('RequestRateLimiter', () => {
  it('lets a client burst its whole minute, then refills at the steady rate', () => {
    const limiter = new RequestRateLimiter(60);
    const start = 1_000_000;
    for (let index = 0; index < 60; index += 1) expect(limiter.take(start)).toBe(0);
    expect(limiter.take(start)).toBe(1000);
    expect(limiter.take(start + 500)).toBe(500);
    expect(limiter.take(start + 1000)).toBe(0);
    expect(limiter.take(start + 1000)).toBe(1000);
  });

  it('never holds more than one minute of requests, however long the client was idle', () => {
    const limiter = new RequestRateLimiter(2);
    expect(limiter.take(0)).toBe(0);
    expect(limiter.take(10 * 60_000)).toBe(0);
    expect(limiter.take(10 * 60_000)).toBe(0);
    expect(limiter.take(10 * 60_000)).toBe(30_000);
  });
});
