import { describe, expect, it } from 'vitest';
import { renderAttempt } from './attempt-outcome.js';
import {
  chainOf,
  failing,
  firstByteTimeoutMs,
  requestTimeoutMs,
  requestTo,
  routerWithFakes,
  settle,
} from './testing/router-fakes.js';

const pool = chainOf(['a', 'b']);

/** The trail as x-switchyard-attempts shows it, and each outcome's reason. */
function trailOf(request: ReturnType<typeof requestTo>['request']) {
  return {
    rendered: request.record.trail.map(renderAttempt),
    reasons: request.record.trail.map((outcome) => outcome.reason),
  };
}

describe('Router, driven through its seams', () => {
  it('switches at once on a 429, with no sleep, and rests the bucket until its reset', async () => {
    const fakes = routerWithFakes();
    fakes.upstream.script('a', failing(429, { 'retry-after': '30' }));
    const { request, response } = requestTo(pool);
    await fakes.router.handle(request);
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-switchyard-bucket']).toBe('anthropic/b');
    expect(response.headers['x-switchyard-attempts']).toBe('anthropic/a:429,anthropic/b:200');
    expect(trailOf(request).reasons).toEqual(['rate-limited', 'served']);
    expect(fakes.upstream.buckets()).toEqual(['a', 'b']);
    expect(fakes.sleeps).toEqual([]);
    expect(fakes.states.get('anthropic/a')).toMatchObject({ status: 'cooling', until: fakes.clock.now() + 30_000 });
    expect(fakes.failovers).toEqual([{ bucket: 'a', reason: 'rate_limited' }]);
  });

  it('refreshes once after a 401 and sends the same bucket the new token', async () => {
    const fakes = routerWithFakes();
    fakes.upstream.script('a', failing(401));
    const { request, response } = requestTo(pool);
    await fakes.router.handle(request);
    expect(response.statusCode).toBe(200);
    expect(trailOf(request).rendered).toEqual(['anthropic/a:401', 'anthropic/a:200']);
    expect(fakes.credentials.refreshes).toEqual([{ bucket: 'a', refused: 'a:0' }]);
    expect(fakes.upstream.calls.map((call) => call.token)).toEqual(['a:0', 'a:1']);
    expect(fakes.failovers).toEqual([]);
  });

  it('marks the bucket as needing login after a second 401 and switches', async () => {
    const fakes = routerWithFakes();
    fakes.upstream.script('a', failing(401), failing(401));
    const { request, response } = requestTo(pool);
    await fakes.router.handle(request);
    expect(response.headers['x-switchyard-attempts']).toBe('anthropic/a:401,anthropic/a:401,anthropic/b:200');
    expect(trailOf(request).reasons).toEqual(['unauthorized', 'unauthorized', 'served']);
    expect(fakes.credentials.refreshes).toHaveLength(1);
    expect(fakes.credentials.markedNeedsLogin).toEqual([{ bucket: 'a', reason: 'unauthorized-after-refresh' }]);
    expect(fakes.states.get('anthropic/a')).toMatchObject({ status: 'needs-login' });
    expect(fakes.failovers).toEqual([{ bucket: 'a', reason: 'unauthorized' }]);
  });

  it('switches with refresh-failed when the refresh after a 401 is refused', async () => {
    const fakes = routerWithFakes();
    fakes.upstream.script('a', failing(401));
    fakes.credentials.refusedRefresh.add('a');
    const { request } = requestTo(pool);
    await fakes.router.handle(request);
    expect(trailOf(request).rendered).toEqual(['anthropic/a:401', 'anthropic/a:refresh-failed', 'anthropic/b:200']);
    expect(fakes.states.get('anthropic/a')).toMatchObject({ status: 'needs-login', reason: 'refresh-rejected' });
    expect(fakes.failovers).toEqual([{ bucket: 'a', reason: 'refresh_failed' }]);
  });

  it('retries a 5xx serverErrorRetries times, backing off through the injected sleep, then switches', async () => {
    const fakes = routerWithFakes({ serverErrorRetries: 2, retryBackoffMs: 100 });
    fakes.upstream.script('a', failing(503), failing(503), failing(503));
    const { request, response } = requestTo(pool);
    await fakes.router.handle(request);
    expect(response.statusCode).toBe(200);
    expect(trailOf(request).rendered).toEqual([
      'anthropic/a:503',
      'anthropic/a:503',
      'anthropic/a:503',
      'anthropic/b:200',
    ]);
    expect(trailOf(request).reasons.slice(0, 3)).toEqual(['server-error', 'server-error', 'server-error']);
    expect(fakes.upstream.buckets()).toEqual(['a', 'a', 'a', 'b']);
    // 100 ms then 200 ms, each with up to a quarter of jitter either way.
    expect(fakes.sleeps).toHaveLength(2);
    expect(fakes.sleeps[0]).toBeGreaterThanOrEqual(75);
    expect(fakes.sleeps[0]).toBeLessThanOrEqual(125);
    expect(fakes.sleeps[1]).toBeGreaterThanOrEqual(150);
    expect(fakes.sleeps[1]).toBeLessThanOrEqual(250);
    expect(fakes.states.get('anthropic/a')).toBeUndefined();
    expect(fakes.failovers).toEqual([{ bucket: 'a', reason: 'server_error' }]);
  });

  it('retries a network error like a 5xx, with status 0 in the outcome', async () => {
    const fakes = routerWithFakes({ serverErrorRetries: 1 });
    fakes.upstream.script('a', { kind: 'network-error' }, { kind: 'network-error' });
    const { request } = requestTo(pool);
    await fakes.router.handle(request);
    expect(trailOf(request).rendered).toEqual(['anthropic/a:network', 'anthropic/a:network', 'anthropic/b:200']);
    expect(request.record.trail.slice(0, 2).map((outcome) => outcome.status)).toEqual([0, 0]);
    expect(fakes.sleeps).toHaveLength(1);
    expect(fakes.failovers).toEqual([{ bucket: 'a', reason: 'network' }]);
  });

  it('leaves a bucket whose first byte is late without retrying it, and aborts its call', async () => {
    const fakes = routerWithFakes();
    fakes.upstream.script('a', { kind: 'hang' });
    const { request, response } = requestTo(pool);
    const handled = fakes.router.handle(request);
    await settle();
    expect(fakes.upstream.buckets()).toEqual(['a']);
    expect(fakes.timers.fire(firstByteTimeoutMs)).toBe(true);
    await handled;
    expect(fakes.upstream.calls[0]!.signal?.aborted).toBe(true);
    expect(response.headers['x-switchyard-attempts']).toBe('anthropic/a:timeout,anthropic/b:200');
    expect(fakes.upstream.buckets()).toEqual(['a', 'b']);
    expect(fakes.sleeps).toEqual([]);
    expect(fakes.failovers).toEqual([{ bucket: 'a', reason: 'timeout' }]);
    expect(fakes.statistics.snapshot()['anthropic/a']).toMatchObject({ requests: 1, timeouts: 1 });
    // Nothing left running: the deadline and first-byte timers were cancelled.
    expect(fakes.timers.durations()).toEqual([]);
  });

  it('answers 504 in the client format when the request deadline passes mid-attempt', async () => {
    const fakes = routerWithFakes();
    fakes.upstream.script('a', { kind: 'hang' });
    const { request, response } = requestTo(pool);
    const handled = fakes.router.handle(request);
    await settle();
    expect(fakes.timers.fire(requestTimeoutMs)).toBe(true);
    await handled;
    expect(response.statusCode).toBe(504);
    expect(response.json().error).toMatchObject({ type: 'timeout_error' });
    expect(response.json().error?.message).toBe(
      `No answer within the request deadline of ${requestTimeoutMs} ms (attempts: anthropic/a:deadline).`,
    );
    expect(response.headers['x-switchyard-attempts']).toBe('anthropic/a:deadline');
    expect(trailOf(request).reasons).toEqual(['deadline']);
    expect(fakes.upstream.buckets()).toEqual(['a']);
    expect(fakes.timers.durations()).toEqual([]);
  });

  it('writes nothing and tries no other bucket once the client has gone, and counts the call cancelled', async () => {
    const fakes = routerWithFakes();
    fakes.upstream.script('a', { kind: 'hang' });
    const { request, response, clientGone } = requestTo(pool);
    const handled = fakes.router.handle(request);
    await settle();
    clientGone.abort();
    await handled;
    expect(response.headersSent).toBe(false);
    expect(response.body).toBe('');
    expect(request.record.trail).toEqual([]);
    expect(fakes.upstream.buckets()).toEqual(['a']);
    expect(fakes.upstream.calls[0]!.signal?.aborted).toBe(true);
    expect(fakes.statistics.snapshot()['anthropic/a']).toMatchObject({ requests: 1, cancelled: 1 });
  });

  it('answers the exhausted 429 with Retry-After when every bucket is resting', async () => {
    const fakes = routerWithFakes();
    fakes.upstream.script('a', failing(429, { 'retry-after': '30' }));
    fakes.upstream.script('b', failing(429, { 'retry-after': '90' }));
    const { request, response } = requestTo(pool);
    await fakes.router.handle(request);
    expect(response.statusCode).toBe(429);
    expect(response.headers['retry-after']).toBe('30');
    expect(response.headers['x-switchyard-attempts']).toBe('anthropic/a:429,anthropic/b:429');
    expect(response.json().error?.message).toMatch(/^All OAuth buckets exhausted; the first one resets at /);
    expect(fakes.failovers).toEqual([{ bucket: 'a', reason: 'rate_limited' }]);
  });

  it('answers 503 no_usable_bucket when every bucket needs a login, and calls no upstream', async () => {
    const fakes = routerWithFakes();
    fakes.credentials.loggedOut.add('a');
    fakes.credentials.loggedOut.add('b');
    const { request, response } = requestTo(pool);
    await fakes.router.handle(request);
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBeUndefined();
    expect(trailOf(request).rendered).toEqual(['anthropic/a:needs-login', 'anthropic/b:needs-login']);
    expect(response.json().error?.message).toBe(
      'No bucket of profile "pool" can serve, and none comes back by itself: ' +
        'anthropic/a needs a login anthropic/b needs a login',
    );
    expect(fakes.upstream.calls).toEqual([]);
    expect(fakes.failovers).toEqual([{ bucket: 'a', reason: 'needs_login' }]);
  });

  it('does work linear in the chain for one request through thousands of buckets needing login', async () => {
    const workPerBucket = async (length: number) => {
      const fakes = routerWithFakes();
      const names = Array.from({ length }, (_, index) => `b${index}`);
      for (const name of names.slice(0, -1)) fakes.credentials.loggedOut.add(name);
      const { request, response } = requestTo(chainOf(names));
      await fakes.router.handle(request);
      expect(response.statusCode).toBe(200);
      expect(response.headers['x-switchyard-bucket']).toBe(`anthropic/b${length - 1}`);
      // One credential look-up per bucket, one upstream call, and a handful of state reads per bucket.
      expect(fakes.credentials.lookups).toBe(length);
      expect(fakes.upstream.calls).toHaveLength(1);
      return fakes.counts.stateReads() / length;
    };
    const short = await workPerBucket(1_000);
    const long = await workPerBucket(4_000);
    // Scanning the chain from the top before each attempt read about length / 2 states per bucket.
    expect(short).toBeLessThanOrEqual(4);
    expect(long).toBeLessThanOrEqual(4);
  });

  it('re-checks a bucket without a login after 5 s, then less often while it stays so, and soon again once found', async () => {
    const fakes = routerWithFakes();
    fakes.credentials.loggedOut.add('a');
    const waits: number[] = [];
    const recheck = async () => {
      const { request, response } = requestTo(pool);
      await fakes.router.handle(request);
      expect(response.statusCode).toBe(200);
      const until = fakes.states.get('anthropic/a')?.until ?? fakes.clock.now();
      waits.push(until - fakes.clock.now());
      fakes.clock.advance(until - fakes.clock.now());
    };
    for (let check = 0; check < 6; check += 1) await recheck();
    expect(waits).toEqual([5_000, 10_000, 20_000, 40_000, 60_000, 60_000]);
    // Each re-check was one credential look-up of a (and one of b, which served).
    expect(fakes.credentials.lookups).toBe(12);
    fakes.credentials.loggedOut.delete('a');
    const { request, response } = requestTo(pool);
    await fakes.router.handle(request);
    expect(response.headers['x-switchyard-bucket']).toBe('anthropic/a');
    fakes.credentials.loggedOut.add('a');
    waits.length = 0;
    await recheck();
    expect(waits).toEqual([5_000]);
  });
});
